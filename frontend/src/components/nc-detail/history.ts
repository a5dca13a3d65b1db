// What the decision histories of an NC share: the CA's (every corrective measure sent)
// and the evidence's (every submission of files), each with the analyst's decision.
import type { CAVersion, EvidenceVersion } from '../../types'

/** Which history: its words are under `<kind>.history`, its test ids `<kind>-history-…`. */
export type HistoryKind = 'ca' | 'evidence'

/** What every submission has, whatever was submitted. */
export type Submission = Pick<CAVersion & EvidenceVersion, 'submitted_by' | 'submitted_at' | 'decision' | 'comment' | 'decided_at'>

/** The words each kind of history needs, under `<kind>.history.` (checked by a test). */
export const HISTORY_WORDS = [
  'title',
  'submitted',
  'submittedAt',
  'decidedAt',
  'decision.accepted',
  'decision.returned',
  'decision.pending',
] as const

export type Decided = 'accepted' | 'returned' | 'pending'

/** decided says what became of a submission: accepted, returned, or pending (anything else). */
export function decided(v: Submission): Decided {
  return v.decision === 'accepted' || v.decision === 'returned' ? v.decision : 'pending'
}
