// Words about evidence files that several screens share. The backend decides where a
// file stands; this only chooses the words.
import type { AttachResult, EvidenceRow } from './types'
import { formatSize } from './format'
import { errorText } from './i18n'

type Translate = (key: string, ...args: unknown[]) => string
type Exists = (key: string) => boolean

/** A file that will go with the NC's next submission (the backend counts the same). */
export function pendingFile(r: EvidenceRow): boolean {
  return !r.evidence.submitted && r.state !== 'submitted' && r.state !== 'removing' && r.state !== 'refused'
}

/** A file that can still be removed or described: not sent for evaluation. */
export function changeable(r: EvidenceRow): boolean {
  return !r.evidence.submitted && r.state !== 'submitted' && r.state !== 'removing'
}

/** Why a file was not attached, and what to do about it, in one sentence. */
export function refusalText(
  t: Translate,
  te: Exists,
  r: Pick<AttachResult, 'name' | 'code' | 'max_bytes' | 'types'>,
  lang?: string,
): string {
  const key = `evidence.refused.${r.code}`
  if (r.code === 'too_large' && r.max_bytes) return t('evidence.refused.too_large_max', { name: r.name, max: formatSize(r.max_bytes, lang) })
  if (r.code === 'type_refused' && r.types?.length) return t('evidence.refused.type_refused_list', { name: r.name, types: r.types.join(' ') })
  if (te(key)) return t(key, { name: r.name })
  return t('evidence.refused.other', { name: r.name, reason: errorText(t, te, r.code) })
}

/** Why the NC's evidence came back to the user (NCDetail.evidence_notice). */
export function evidenceNoticeText(t: Translate, te: Exists, code: string | null | undefined): string {
  if (!code) return ''
  const key = `evidence.notice.${code}`
  if (te(key)) return t(key)
  return t('evidence.notice.unknown', { reason: errorText(t, te, code) })
}
