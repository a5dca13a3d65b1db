// The one boundary between the UI and the Go backend. Only this module imports the
// Wails bindings (../wailsjs); stores call the functions below, and tests replace this
// module with vi.mock. Every call returns a Promise; a rejection carries an error code
// (see errorCode), never text meant for the user.
import * as SessionAPI from '../wailsjs/go/app/Session'
import * as SyncAPI from '../wailsjs/go/app/Sync'
import * as PortalAPI from '../wailsjs/go/app/Portal'
import * as SettingsAPI from '../wailsjs/go/app/Settings'
import * as CAAPI from '../wailsjs/go/app/CA'
import * as OutboxAPI from '../wailsjs/go/app/Outbox'
import * as EvidenceAPI from '../wailsjs/go/app/Evidence'
import { EventsEmit, EventsOn } from '../wailsjs/runtime/runtime'

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

/** One submitted corrective measure and the analyst's decision on it (api.CAVersion). */
export interface CAVersion {
  text: string
  submitted_by: string
  submitted_at: Timestamp
  /** "accepted" or "returned"; absent while the analyst has not decided. */
  decision?: 'accepted' | 'returned' | string
  comment?: string
  decided_at?: Timestamp
}

/** The organisation's draft of a CA on the server, shared by its computers (api.CADraft). */
export interface CADraft {
  nc_id: string
  text: string
  revision: number
  updated_by: string
  updated_at: Timestamp
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
  /** Every submitted CA with the analyst's decision, oldest first. */
  ca_history?: CAVersion[] | null
  /** Every submission of evidence with the analyst's decision, oldest first. */
  evidence_history?: EvidenceVersion[] | null
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
  /** Sent to FLOCERT with the NC's evidence: it can no longer change. */
  submitted?: boolean
  /** The analyst's decision on the evidence it was sent with: accepted, returned. */
  decision?: 'accepted' | 'returned' | string
}

/** One submission of an NC's evidence and the analyst's decision (api.EvidenceVersion). */
export interface EvidenceVersion {
  /** evidence ids */
  files: string[] | null
  submitted_by: string
  submitted_at: Timestamp
  decision?: 'accepted' | 'returned' | string
  comment?: string
  decided_at?: Timestamp
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
  /** where the login is kept: 'keyring' (the system's) or 'file' (readable by this user only) */
  token_store?: string
  /** set once, after a damaged local database was moved aside and rebuilt */
  recovery?: Recovery | null
}

export interface Recovery {
  folder: string
  export: string
  restored: number
  unsent: number
  logged_in: boolean
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
  /** Analyst decisions and messages on this NC the user has not seen yet. */
  updates: number
  /** The CA is marked "ready to send" (✓). */
  ready: boolean
  /** Send was pressed: the CA goes to FLOCERT with the next sync. */
  queued: boolean
  /** A code (ca.notice.*) telling the user to look at this NC again; "" when none. */
  notice: string
}

/** Where the user's CA text is: only here, queued to be shared, or on the server. */
export type DraftState = 'local' | 'queued' | 'shared'

/** The user's corrective measure of an NC, as the editor shows it (app.LocalCA). */
export interface LocalCA {
  nc_id: string
  text: string
  ready: boolean
  queued: boolean
  draft: DraftState | string
  /** draft_changed, nc_changed, nc_closed, or why the server refused it; "" when none. */
  notice: string
  /** In a draft_changed conflict: the other computer's text, and who saved it. */
  other_text: string
  other_by: string
  updated_at: Timestamp
}

/** A message written here and not on the server yet, or refused by it. */
export interface PendingMessage {
  seq: number
  text: string
  created_at: Timestamp
  rejected: boolean
  code: string
}

/** An outbox entry as the user sees it. */
export interface OutboxItem {
  seq: number
  /** "ca.draft", "ca.submit" or "message" */
  kind: string
  nc_id: string
  text: string
  created_at: Timestamp
  /** "pending" or "rejected" */
  state: string
  code: string
}

export interface SendPreview {
  ready: string[] | null
  not_ready: string[] | null
  /** NCs whose evidence is marked ready but that have no file. */
  no_files?: string[] | null
  /** Files whose bytes are not on the server yet: they go first, then their NC. */
  uploading?: number
}

export interface SendResult {
  queued: string[] | null
  not_ready: string[] | null
  online: boolean
}

/** What a sync brought from the analyst: the payload of "sync:notify" (a list). */
export interface Notice {
  nc_id: string
  kind: 'decision' | 'message' | string
  /** The NC's new stage, for a decision. */
  stage: string
}

/**
 * Where an evidence file stands: local (waiting to upload), queued (uploaded, its
 * attachment waits), attached (on the server, not sent for evaluation), removing,
 * refused (code says why), submitted.
 */
export type EvidenceState = 'local' | 'queued' | 'attached' | 'removing' | 'refused' | 'submitted'

export interface EvidenceRow {
  evidence: Evidence
  cached: boolean
  /** Attached on this computer and not yet submitted. */
  local?: boolean
  state: EvidenceState | string
  /** Why it was refused (errors.<code>). */
  code?: string
  /** The photo's own size when a smaller copy is sent (0 otherwise). */
  original_size?: number
  /** A thumbnail is served at /thumbs/<sha256>. */
  image?: boolean
}

/** The outcome of attaching one file (app.AttachResult). */
export interface AttachResult {
  path: string
  name: string
  /** The evidence id, when attached. */
  id: string
  /** Why it was refused (errors.<code>); "" when attached. */
  code: string
  /** What will be sent. */
  size: number
  /** The file's own size when a smaller copy of a large photo is sent (0 otherwise). */
  original_size: number
  /** The server's limits, when the file was refused as too large or of a refused type. */
  max_bytes?: number
  types?: string[]
}

/** The user's settings beyond the language (app.Preferences). */
export interface Preferences {
  /** Send a smaller copy of JPEG and PNG photos above downscale_above_bytes. */
  downscale: boolean
  downscale_above_bytes: number
  /** Holds file uploads (messages and CAs still go). */
  pause_uploads: boolean
}

/** The payload of "upload:progress", a few times a second while files upload. */
export interface UploadProgress {
  sha256: string
  name: string
  /** Bytes of this file the server has. */
  done: number
  total: number
  /** Over every file of this run. */
  all_done: number
  all_total: number
  /** Files left, this one included. */
  files: number
  /** This file is uploaded. */
  completed: boolean
}

/** The payload of "evidence:attached": files the inbox folder attached to an NC. */
export interface EvidenceAttached {
  nc_id: string
  files: AttachResult[] | null
}

export interface NCDetail {
  row: NCRow
  audit: Audit
  messages: Message[] | null
  evidence: EvidenceRow[] | null
  criterion: Criterion | null
  /** The user's CA on this computer; null when they wrote none. */
  local: LocalCA | null
  /** The organisation's draft on the server, as last pulled. */
  shared_draft: CADraft | null
  /** Whether the CA can be written now (stage ca_requested or ca_returned). */
  editable: boolean
  pending: PendingMessage[] | null
  /** Files can be attached now (the NC awaits evidence). */
  evidence_editable: boolean
  /** The NC's evidence is marked ready to send (or queued by Send). */
  evidence_ready: boolean
  /** Why the evidence came back (a code: evidence.notice.<code>); "" when none. */
  evidence_notice: string
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
  /** Unseen analyst decisions and messages. */
  updates: number
  /** CAs marked ready to send. */
  ready: number
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
/** Marks what the analyst did on an NC as seen: clears its "updates" badge. */
export const markSeen = (ncId: string) => call<void>(PortalAPI.MarkSeen(ncId))
/** Opens a cached file with the system's program; rejects "not_cached" if not downloaded. */
export const openFile = (sha256: string) => call<void>(PortalAPI.OpenFile(sha256))
/** Asks where to save a cached file (native dialog) and copies it there. */
export const saveFileAs = (sha256: string) => call<void>(PortalAPI.SaveFileAs(sha256))

// ---- Corrective measures (all local first: they work offline) ----
/** Keeps the text on this computer only; call it at every pause in typing. */
export const caAutosave = (ncId: string, text: string) => call<LocalCA>(CAAPI.Autosave(ncId, text))
/** "Sauvegarder comme brouillon": keeps the text and shares it with the organisation. */
export const caSaveDraft = (ncId: string, text: string) => call<LocalCA>(CAAPI.SaveDraft(ncId, text))
/** "Prête à envoyer" (✓), or takes the mark off; unmarking a queued CA takes it back. */
export const caSetReady = (ncId: string, text: string, ready: boolean) =>
  call<LocalCA>(CAAPI.SetReady(ncId, text, ready))
/** Ends a draft_changed conflict with the text the user chose. */
export const caResolve = (ncId: string, text: string) => call<LocalCA>(CAAPI.Resolve(ncId, text))
/** What Send would send, and the awaited CAs it would leave behind. */
export const caSendPreview = () => call<SendPreview>(CAAPI.SendPreview())
/** "Envoyer": queues every CA marked ready; they go now when online. */
export const caSend = () => call<SendResult>(CAAPI.Send())

// ---- Outbox: messages, and what waits or was refused ----
/** Queues a message to the analyst in an NC's thread (works offline). */
export const outboxMessage = (ncId: string, text: string) => call<void>(OutboxAPI.Message(ncId, text))
export const outboxList = () => call<OutboxItem[] | null>(OutboxAPI.List())
/** Removes a refused entry the user has read. */
export const outboxDismiss = (seq: number) => call<void>(OutboxAPI.Dismiss(seq))

// ---- Evidence files ("Preuves Matérielles"), local first like the CAs ----
/** Asks for files in the system's dialog and attaches them; [] when cancelled. */
export const evidenceAddWithDialog = (ncId: string) => call<AttachResult[] | null>(EvidenceAPI.AddWithDialog(ncId))
/** Attaches files by path (dropped on the window). */
export const evidenceAddFiles = (ncId: string, paths: string[]) =>
  call<AttachResult[] | null>(EvidenceAPI.AddFiles(ncId, paths))
/** Takes a file off its NC (until it was submitted); the original is never touched. */
export const evidenceRemove = (id: string) => call<void>(EvidenceAPI.Remove(id))
/** Changes a file's subject ("Sujet"). */
export const evidenceSetSubject = (id: string, subject: string) => call<void>(EvidenceAPI.SetSubject(id, subject))
/** "Prête à envoyer" for the NC's evidence, or takes the mark off (and out of the queue). */
export const evidenceSetReady = (ncId: string, ready: boolean) => call<void>(EvidenceAPI.SetReady(ncId, ready))
/** The evidence inbox folder ("" before the first sync). */
export const evidenceInbox = () => call<string>(EvidenceAPI.Inbox())
/** Opens the inbox folder ('' = the root) or one NC's sub-folder in the file manager. */
export const evidenceOpenInbox = (ncId: string) => call<void>(EvidenceAPI.OpenInbox(ncId))
export const evidencePreferences = () => call<Preferences>(EvidenceAPI.Preferences())
export const evidenceSetPreferences = (p: Preferences) =>
  call<void>(EvidenceAPI.SetPreferences({ ...p } as Parameters<typeof EvidenceAPI.SetPreferences>[0]))

// ---- Settings ----
export const language = () => call<string>(SettingsAPI.Language())
export const setLanguage = (lang: string) => call<void>(SettingsAPI.SetLanguage(lang))

// ---- Files served by the app over HTTP (same origin) ----
export const fileUrl = (sha256: string) => `/files/${encodeURIComponent(sha256)}`
/** A small picture of an image file (rows with image = true). */
export const thumbUrl = (sha256: string) => `/thumbs/${encodeURIComponent(sha256)}`

// ---- Events ----
export const EVENT_SYNC_STATUS = 'sync:status'
export const EVENT_DATA_CHANGED = 'data:changed'
export const EVENT_SESSION_EXPIRED = 'session:expired'
/** Payload: Notice[] — analyst decisions and messages a sync brought, each once. */
export const EVENT_NOTIFY = 'sync:notify'
/** Payload: UploadProgress, a few times a second while files upload. */
export const EVENT_UPLOAD_PROGRESS = 'upload:progress'
/** Payload: EvidenceAttached — files the watched inbox folder attached. */
export const EVENT_EVIDENCE_ATTACHED = 'evidence:attached'
/** Payload: string[] — paths of files dropped on the window. */
export const EVENT_FILES_DROPPED = 'files:dropped'

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

/** The UI's event, to the backend: a screen was first shown with its data (app/desktop). */
export const EVENT_SHOWN = 'startup:shown'

const shown = new Set<string>()

/**
 * announceShown tells the backend, once per screen, that it was first shown with its
 * data: the start-up benchmark times the dashboard with it; otherwise the backend does
 * nothing with it. Without the Wails runtime (a plain browser) it does nothing.
 */
export function announceShown(screen: string) {
  if (shown.has(screen)) return
  shown.add(screen)
  try {
    EventsEmit(EVENT_SHOWN, screen)
  } catch {
    // no runtime
  }
}
