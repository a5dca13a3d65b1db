// The one boundary between the UI and the Go backend. Only this module imports the
// Wails bindings (../wailsjs); stores call the functions below, and tests replace this
// module with vi.mock. Every call returns a Promise; a rejection carries an error code
// (see errorCode), never text meant for the user.
import * as SessionAPI from '../wailsjs/go/app/Session'
import * as SyncAPI from '../wailsjs/go/app/Sync'
import * as PortalAPI from '../wailsjs/go/app/Portal'
import * as SettingsAPI from '../wailsjs/go/app/Settings'
import { EventsOn } from '../wailsjs/runtime/runtime'

// ---- JSON shapes, exactly as Go marshals them (sync/api/types.go, app/views.go) ----

/** "YYYY-MM-DD": a calendar day, never shifted by time zones. */
export type ApiDate = string
/** RFC 3339 timestamp; empty when unset. */
export type Timestamp = string

export interface FileRef {
  sha256: string
  name: string
  size: number
  media_type: string
}

export interface Organisation {
  id: string
  name: string
  legal_name: string
  type: string
  address: string
  city: string
  postal_code: string
  country: string
  email: string
  phone: string
  website: string
  products: string[] | null
}

export interface Certification {
  id: string
  status: string
  standard: string
  scope: string[] | null
  cycle_start: ApiDate
  cycle_end: ApiDate
  last_audit: ApiDate
  next_audit_due: ApiDate
  certificate_no: string
}

export interface Contact {
  id: string
  name: string
  role: string
  company: string
  email: string
  phone: string
  analyst?: boolean
}

export interface Certificate {
  id: string
  number: string
  description: string
  year: number
  valid_until: ApiDate
  file?: FileRef | null
}

export interface Document {
  id: string
  type: string
  date: ApiDate
  file: FileRef
}

export interface Audit {
  id: string
  date: ApiDate
  service_type: string
  type: string
  status: string
  auditor: string
}

export type Stage =
  | 'ca_requested'
  | 'ca_submitted'
  | 'ca_returned'
  | 'evidence_requested'
  | 'evidence_submitted'
  | 'evidence_returned'
  | 'closed'

export interface CA {
  text: string
  submitted_at?: Timestamp
  analyst_comment?: string
  decided_at?: Timestamp
}

export interface NC {
  id: string
  audit_id: string
  criterion_number: string
  criterion_text: string
  criterion_type: string
  finding: string
  score?: number
  received_date: ApiDate
  due_date?: ApiDate
  stage: Stage | string
  ca_status: string
  evidence_status: string
  ca?: CA | null
  revision: number
}

export interface Message {
  id: string
  nc_id: string
  author: string
  author_role: string
  body: string
  sent_at: Timestamp
}

export interface Evidence {
  id: string
  nc_id: string
  type: string
  date: ApiDate
  subject: string
  file: FileRef
  added_at: Timestamp
}

export interface Criterion {
  id: string
  number: string
  section: string
  text: string
  type: string
  year: number
}

export interface SessionState {
  logged_in: boolean
  server: string
  username: string
  name: string
  org_id: string
  org_name: string
  has_data: boolean
}

export interface LoginDefaults {
  server: string
  username: string
  password: string
}

export interface SyncStatus {
  online: boolean
  syncing: boolean
  last_sync: Timestamp
  last_error: string
  error_at: Timestamp
  next_try: Timestamp
  pending: number
  files: number
  /** grows with every change: a lower version is an older status */
  version: number
}

export type NCFilter = 'ca' | 'evidence' | 'open' | 'history' | 'all'

export interface NCRow {
  nc: NC
  audit_date: ApiDate
  service_type: string
  /** Days until the due date, negative when overdue; null when nothing is due. */
  days_left: number | null
  /** What is expected of the client now: "ca", "evidence" or "". */
  action: string
  unread: number
}

export interface EvidenceRow {
  evidence: Evidence
  cached: boolean
}

export interface NCDetail {
  row: NCRow
  audit: Audit
  messages: Message[] | null
  evidence: EvidenceRow[] | null
  criterion: Criterion | null
}

export interface CertificateRow {
  certificate: Certificate
  cached: boolean
}

export interface DocumentRow {
  document: Document
  cached: boolean
}

export interface AuditRow {
  audit: Audit
  ncs: number
  open_ncs: number
}

export interface MessageRow {
  message: Message
  unread: boolean
}

export interface Dashboard {
  organisation: Organisation | null
  certification: Certification | null
  certificate: Certificate | null
  actions: NCRow[] | null
  ca_count: number
  evidence_count: number
  overdue: number
  unread: number
  messages: MessageRow[] | null
  today: ApiDate
}

export interface DataChanged {
  entities: string[]
}

// ---- Errors ----

export { errorCode } from './errors'

// The bindings are typed against the generated models; the JSON is the same, so the
// wrappers state the plain interfaces above.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const call = <T>(p: Promise<any>): Promise<T> => p as Promise<T>

// ---- Session ----
export const sessionState = () => call<SessionState>(SessionAPI.State())
export const loginDefaults = () => call<LoginDefaults>(SessionAPI.Defaults())
export const login = (server: string, username: string, password: string) =>
  call<SessionState>(SessionAPI.Login(server, username, password))
export const logout = () => call<void>(SessionAPI.Logout())

// ---- Sync ----
export const syncStatus = () => call<SyncStatus>(SyncAPI.Status())
export const syncNow = () => call<void>(SyncAPI.SyncNow())

// ---- Portal ----
export const dashboard = () => call<Dashboard>(PortalAPI.Dashboard())
export const organisation = () => call<Organisation | null>(PortalAPI.Organisation())
export const certification = () => call<Certification | null>(PortalAPI.Certification())
export const contacts = () => call<Contact[] | null>(PortalAPI.Contacts())
export const certificates = () => call<CertificateRow[] | null>(PortalAPI.Certificates())
export const documents = () => call<DocumentRow[] | null>(PortalAPI.Documents())
export const audits = () => call<AuditRow[] | null>(PortalAPI.Audits())
export const ncs = (filter: NCFilter) => call<NCRow[] | null>(PortalAPI.NCs(filter))
export const nc = (id: string) => call<NCDetail>(PortalAPI.NC(id))
export const checklist = () => call<Criterion[] | null>(PortalAPI.Checklist())
export const markRead = (ncId: string) => call<void>(PortalAPI.MarkRead(ncId))
/** Opens a cached file with the system's program; rejects "not_cached" if not downloaded. */
export const openFile = (sha256: string) => call<void>(PortalAPI.OpenFile(sha256))
/** Asks where to save a cached file (native dialog) and copies it there. */
export const saveFileAs = (sha256: string) => call<void>(PortalAPI.SaveFileAs(sha256))

// ---- Settings ----
export const language = () => call<string>(SettingsAPI.Language())
export const setLanguage = (lang: string) => call<void>(SettingsAPI.SetLanguage(lang))

// ---- Files served by the app over HTTP (same origin) ----
export const fileUrl = (sha256: string) => `/files/${encodeURIComponent(sha256)}`

// ---- Events ----
export const EVENT_SYNC_STATUS = 'sync:status'
export const EVENT_DATA_CHANGED = 'data:changed'
export const EVENT_SESSION_EXPIRED = 'session:expired'

/**
 * onEvent subscribes to a backend event and returns an unsubscribe function that is
 * safe to call more than once (Wails v2.9.2 throws on a second unsubscribe).
 */
export function onEvent<T = unknown>(name: string, cb: (payload: T) => void): () => void {
  const off = EventsOn(name, (payload: T) => cb(payload))
  let done = false
  return () => {
    if (done) return
    done = true
    off()
  }
}
