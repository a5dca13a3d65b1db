// The colour of a backend enum value's tag (an NC stage, a CA/evidence status, a
// criterion type, a certification status), shared by StatusTag and the list cells.
export type TagType = 'default' | 'info' | 'success' | 'warning' | 'error'

const TYPES: Record<string, TagType> = {
  requested: 'warning',
  submitted: 'info',
  returned: 'error',
  accepted: 'success',
  ca_requested: 'warning',
  ca_submitted: 'info',
  ca_returned: 'error',
  evidence_requested: 'warning',
  evidence_submitted: 'info',
  evidence_returned: 'error',
  closed: 'success',
  certified: 'success',
  suspended: 'error',
  decertified: 'error',
  in_progress: 'info',
  expired: 'error',
  audit_overdue: 'warning',
  core: 'error',
  major: 'warning',
  development: 'info',
  voluntary: 'success',
  reactive: 'default',
}

export function tagType(value: string | null | undefined): TagType {
  return TYPES[value ?? ''] ?? 'default'
}
