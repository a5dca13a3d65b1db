// What the NC screen says about where an NC stands. The stage comes from the server,
// which is the authority on the workflow; this only chooses the words.
import type { NCRow } from './types'

export type Tone = 'info' | 'success' | 'warning' | 'error'

export interface Expectation {
  /** i18n key of the headline, e.g. nc.expect.ca_requested */
  key: string
  /** i18n key of why the NC can or cannot be edited now */
  editKey: string
  editable: boolean
  tone: Tone
  /** The due date is shown when something is expected of the client. */
  showDue: boolean
}

const TABLE: Record<string, Omit<Expectation, 'key' | 'editKey' | 'tone'>> = {
  ca_requested: { editable: true, showDue: true },
  ca_submitted: { editable: false, showDue: false },
  ca_returned: { editable: true, showDue: true },
  evidence_requested: { editable: true, showDue: true },
  evidence_submitted: { editable: false, showDue: false },
  evidence_returned: { editable: true, showDue: true },
  closed: { editable: false, showDue: false },
}

/** Stages in which the client writes a corrective measure. */
export const CA_STAGES = ['ca_requested', 'ca_returned']
/** Stages in which the client adds evidence files. */
export const EVIDENCE_STAGES = ['evidence_requested', 'evidence_returned']

export function expectation(row: NCRow): Expectation {
  const stage = row.nc.stage
  const e = TABLE[stage]
  if (!e) {
    return { key: 'nc.expect.unknown', editKey: 'nc.edit.unknown', editable: false, tone: 'info', showDue: false }
  }
  // What the user did here and the server does not know yet comes before the stage:
  // a CA queued by Send, or marked ready and waiting for Send.
  if (CA_STAGES.includes(stage) && row.queued) {
    return { key: 'nc.expect.queued', editKey: 'nc.edit.queued', editable: false, tone: 'info', showDue: false }
  }
  if (CA_STAGES.includes(stage) && row.ready) {
    const late = typeof row.days_left === 'number' && row.days_left < 0
    return { key: 'nc.expect.ready', editKey: 'nc.edit.ready', editable: true, tone: late ? 'error' : 'success', showDue: true }
  }
  if (EVIDENCE_STAGES.includes(stage) && row.queued) {
    return { key: 'nc.expect.evidenceQueued', editKey: 'nc.edit.evidenceQueued', editable: true, tone: 'info', showDue: false }
  }
  if (EVIDENCE_STAGES.includes(stage) && row.ready) {
    const late = typeof row.days_left === 'number' && row.days_left < 0
    return { key: 'nc.expect.ready', editKey: 'nc.edit.evidenceReady', editable: true, tone: late ? 'warning' : 'success', showDue: true }
  }
  const late = typeof row.days_left === 'number' && row.days_left < 0
  let tone: Tone = 'info'
  if (stage === 'closed') tone = 'success'
  // An accepted corrective measure is good news: said in a positive tone, and a late
  // evidence deadline is a reminder, never an error.
  else if (stage === 'evidence_requested') tone = late ? 'warning' : 'success'
  else if (e.editable) tone = late ? 'error' : 'warning'
  return { key: `nc.expect.${stage}`, editKey: `nc.edit.${stage}`, tone, ...e }
}

/** Every stage the server may send, in workflow order. */
export const STAGES = Object.keys(TABLE)
