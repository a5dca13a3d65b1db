import type { Dashboard, LocalCA, NCDetail, NCRow, SyncStatus } from '../types'

let seq = 0

export function ncRow(over: Partial<NCRow['nc']> = {}, row: Partial<Omit<NCRow, 'nc'>> = {}): NCRow {
  seq++
  return {
    nc: {
      id: `NC-${167140 + seq}-2019`,
      audit_id: 'AO-38369',
      criterion_number: '2.2.0.03',
      criterion_text: "Votre société explique aux travailleurs l'objectif de la prime Fairtrade",
      criterion_type: 'core',
      finding: 'Workers were not informed about the Fairtrade Premium.',
      received_date: '2018-12-18',
      due_date: '2019-06-01',
      stage: 'ca_requested',
      ca_status: 'requested',
      evidence_status: '',
      revision: 1,
      ...over,
    },
    audit_date: '2018-10-15',
    service_type: 'Producteur - HL - Plantations Multiples',
    due: '2019-06-01',
    days_left: 12,
    action: 'ca',
    unread: 0,
    updates: 0,
    ready: false,
    queued: false,
    notice: '',
    ...row,
  }
}

export function detail(row: NCRow, over: Partial<NCDetail> = {}): NCDetail {
  return {
    row,
    audit: {
      id: row.nc.audit_id,
      date: row.audit_date,
      service_type: row.service_type,
      type: 'renewal',
      status: 'in_evaluation',
      auditor: 'A. Auditor',
    },
    messages: [],
    evidence: [],
    criterion: null,
    local: null,
    shared_draft: null,
    editable: row.nc.stage === 'ca_requested' || row.nc.stage === 'ca_returned',
    pending: [],
    evidence_editable: row.nc.stage === 'evidence_requested' || row.nc.stage === 'evidence_returned',
    evidence_ready: false,
    evidence_notice: '',
    ...over,
  }
}

export function dashboard(over: Partial<Dashboard> = {}): Dashboard {
  return {
    organisation: null,
    certification: null,
    certificate: null,
    standing: null,
    actions: [],
    actions_total: 0,
    ca_count: 1,
    evidence_count: 2,
    sent_count: 0,
    overdue: 0,
    unread: 3,
    updates: 0,
    ready: 0,
    messages: [],
    today: '2019-05-20',
    ...over,
  }
}

export function syncStatus(over: Partial<SyncStatus> = {}): SyncStatus {
  return {
    online: true,
    syncing: false,
    last_sync: '',
    last_error: '',
    error_at: '',
    next_try: '',
    last_contact: '',
    pending: 0,
    files: 0,
    version: 0,
    ...over,
  }
}

export function localCA(over: Partial<LocalCA> = {}): LocalCA {
  return {
    nc_id: 'NC-1',
    text: '',
    ready: false,
    queued: false,
    draft: 'local',
    notice: '',
    other_text: '',
    other_by: '',
    updated_at: '2019-05-20T10:00:00Z',
    ...over,
  }
}
