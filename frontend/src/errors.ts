/**
 * errorCode turns a rejected binding call into an error code such as "unreachable".
 * Anything that does not look like a code becomes "unknown", so raw text from a
 * failure deep down never reaches the screen.
 */
export function errorCode(err: unknown): string {
  const raw = typeof err === 'string' ? err : err instanceof Error ? err.message : ''
  const code = raw.trim()
  return /^[a-z][a-z0-9_]{0,63}$/.test(code) ? code : 'unknown'
}
