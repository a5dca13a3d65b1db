// Control of the ecert-server process that build/scripts/e2e.sh started, so that a test
// can take the app offline and bring the server back. The script passes the binary, its
// address and data folder, and a PID file that it reads on exit to stop whatever server
// runs then (the one it started, or the one a test restarted).
import { spawn } from 'node:child_process'
import { createHash, randomBytes } from 'node:crypto'
import { openSync, readFileSync, writeFileSync, existsSync, closeSync } from 'node:fs'

function env(name: string): string {
  const v = process.env[name]
  if (!v) throw new Error(`${name} is not set: run the browser tests through build/scripts/e2e.sh`)
  return v
}

export const serverURL = () => env('E2E_SERVER_URL')

function pidFile() {
  return env('E2E_SERVER_PIDFILE')
}

function readPid(): number | null {
  const f = pidFile()
  if (!existsSync(f)) return null
  const n = Number(readFileSync(f, 'utf8').trim())
  return Number.isInteger(n) && n > 0 ? n : null
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

async function healthy(): Promise<boolean> {
  try {
    const r = await fetch(`${serverURL()}/api/v1/health`, { signal: AbortSignal.timeout(1000) })
    return r.ok
  } catch {
    return false
  }
}

/** stopServer stops the running server (SIGTERM, then SIGKILL) and waits until it is gone. */
export async function stopServer(): Promise<void> {
  const pid = readPid()
  if (pid && alive(pid)) {
    process.kill(pid, 'SIGTERM')
    for (let i = 0; i < 100 && alive(pid); i++) await sleep(100)
    if (alive(pid)) process.kill(pid, 'SIGKILL')
    for (let i = 0; i < 50 && alive(pid); i++) await sleep(100)
  }
  for (let i = 0; i < 50 && (await healthy()); i++) await sleep(100)
  if (await healthy()) throw new Error(`the server at ${serverURL()} still answers after being stopped`)
}

/** startServer starts the server again on the same address and data, and waits until it answers. */
export async function startServer(): Promise<void> {
  if (await healthy()) return
  const log = openSync(env('E2E_SERVER_LOG'), 'a')
  const child = spawn(
    env('E2E_SERVER_BIN'),
    [
      '--addr',
      env('E2E_SERVER_ADDR'),
      '--data-dir',
      env('E2E_SERVER_DATA'),
      '--demo',
      ...(process.env.E2E_RELEASE_DIR ? ['--release-dir', process.env.E2E_RELEASE_DIR] : []),
    ],
    { detached: true, stdio: ['ignore', log, log] },
  )
  closeSync(log)
  if (!child.pid) throw new Error('could not start ecert-server')
  writeFileSync(pidFile(), `${child.pid}\n`)
  child.unref()
  for (let i = 0; i < 150; i++) {
    if (await healthy()) return
    if (!alive(child.pid)) break
    await sleep(100)
  }
  throw new Error(`ecert-server did not come back on ${serverURL()}; see ${env('E2E_SERVER_LOG')}`)
}

/** openedFiles lists the paths the app "opened" (ECERT_E2E_OPEN_LOG), one per line. */
export function openedFiles(): string[] {
  const f = env('E2E_OPEN_LOG')
  if (!existsSync(f)) return []
  return readFileSync(f, 'utf8')
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
}

/** pickedFiles lists the paths the app's file dialog answers (ECERT_E2E_PICK), in order. */
export function pickedFiles(): string[] {
  return env('E2E_PICK').split(':').filter(Boolean)
}

/**
 * newRandomBytes gives a fixture file new random bytes after its first line (its size
 * and header stay), so that the server has never seen them and the app uploads it.
 */
export function newRandomBytes(path: string): void {
  const old = readFileSync(path)
  const head = old.subarray(0, old.indexOf(0x0a) + 1)
  writeFileSync(path, Buffer.concat([head, randomBytes(old.length - head.length)]))
}

/** sha256Of returns the SHA-256 of bytes or of a file, in hex. */
export function sha256Of(data: Buffer | string): string {
  return createHash('sha256')
    .update(typeof data === 'string' ? readFileSync(data) : data)
    .digest('hex')
}
