// The backend's data as the UI sees it. Each type is the Wails model generated from the
// Go struct (../wailsjs/go/models.ts, `make bindings`), with some fields stated more
// precisely than the generator can: a Go time is an RFC 3339 string, a nil slice or
// pointer arrives as null, a nested struct is plain JSON (not the generated class), and
// some strings take known values. So the UI cannot drift from Go silently: a Go field
// renamed or removed fails the type check (`npm run build`), either because code uses a
// field the model no longer has or because a refinement names it (see Model).
//
// The events' payloads are not in the generated models (Wails generates what bound
// methods return); they are written by hand at the end, beside the Go struct they mirror.
import type { api, app, attach, calendar, cycle, proxy, proxyprefs, requests, team, update } from '../wailsjs/go/models'

// ---- Deriving a type from a generated model ----

/** A generated model's data: its fields, without the class's helper methods. */
export type Fields<M> = {
  [K in keyof M as M[K] extends (...args: never[]) => unknown ? never : K]: M[K]
}

/** Fields of R that model M does not have: each must be never, so naming one is an error. */
type NoExtra<M, R> = { [K in Exclude<keyof R, keyof Fields<M>>]: never }

/** Flat shows an intersection as one object type (in errors and editors). */
type Flat<T> = { [K in keyof T]: T[K] }

/**
 * Model is generated model M as JSON, with the fields in R typed as R says. R may only
 * name fields M has: a field renamed or removed in Go is a type error here.
 */
export type Model<M, R extends NoExtra<M, R> = {}> = Flat<Omit<Fields<M>, keyof R> & R>

// ---- Scalars ----

/** "YYYY-MM-DD": a calendar day, never shifted by time zones. */
export type ApiDate = string
/** RFC 3339 timestamp; empty when unset. */
export type Timestamp = string
/** An analyst's decision on a submission: absent (or "") while not decided. */
export type Decision = 'accepted' | 'returned' | string

export type Stage =
  | 'ca_requested'
  | 'ca_submitted'
  | 'ca_returned'
  | 'evidence_requested'
  | 'evidence_submitted'
  | 'evidence_returned'
  | 'closed'

export type NCFilter = 'ca' | 'evidence' | 'sent' | 'open' | 'history' | 'all'

/** Where the user's CA text is: only here, queued to be shared, or on the server. */
export type DraftState = 'local' | 'queued' | 'shared'

/**
 * Where an evidence file stands: local (waiting to upload), queued (uploaded, its
 * attachment waits), attached (on the server, not sent for evaluation), removing,
 * refused (code says why), submitted.
 */
export type EvidenceState = 'local' | 'queued' | 'attached' | 'removing' | 'refused' | 'submitted'

// ---- The wire types (sync/api/types.go) ----

export type FileRef = Model<api.FileRef>
export type Organisation = Model<api.Organisation, { products: string[] | null }>
export type Certification = Model<api.Certification, { scope: string[] | null }>
/**
 * The certification status as it stands today (cycle.Standing): the server's status, or
 * expired / audit_overdue when the dates contradict "certified"; since: from when, for
 * those two ("" otherwise).
 */
export type Standing = Model<cycle.Standing>
export type Contact = Model<api.Contact>
/** A change request of a contact or the master data (package app/requests). */
export type ChangeProposal = Model<api.ChangeProposal>
export type RequestState = 'waiting' | 'not_sent' | 'pending' | 'accepted' | 'refused'
export type ChangeRequest = Model<requests.Request, { state: RequestState | string }>
export type Certificate = Model<api.Certificate, { file?: FileRef | null }>
export type Document = Model<api.Document, { file: FileRef }>
export type Audit = Model<api.Audit>
export type Criterion = Model<api.Criterion>
export type Message = Model<api.Message, { sent_at: Timestamp }>

export type CA = Model<api.CA, { submitted_at?: Timestamp; decided_at?: Timestamp }>

/** One submitted corrective measure and the analyst's decision on it. */
export type CAVersion = Model<
  api.CAVersion,
  { submitted_at: Timestamp; decision?: Decision; decided_at?: Timestamp }
>

/** The organisation's draft of a CA on the server, shared by its computers. */
export type CADraft = Model<api.CADraft, { updated_at: Timestamp }>

/** One submission of an NC's evidence (files: evidence ids) and the analyst's decision. */
export type EvidenceVersion = Model<
  api.EvidenceVersion,
  { files: string[] | null; submitted_at: Timestamp; decision?: Decision; decided_at?: Timestamp }
>

export type NC = Model<
  api.NC,
  {
    stage: Stage | string
    ca?: CA | null
    /** Every submitted CA with the analyst's decision, oldest first. */
    ca_history?: CAVersion[] | null
    /** Every submission of evidence with the analyst's decision, oldest first. */
    evidence_history?: EvidenceVersion[] | null
  }
>

/**
 * An evidence file; submitted: sent to FLOCERT with the NC's evidence (it can no longer
 * change); decision: the analyst's, on the evidence it was sent with.
 */
export type Evidence = Model<api.Evidence, { file: FileRef; added_at: Timestamp; decision?: Decision }>

// ---- The app's views (app/views.go) ----

/**
 * State of the login. token_store says where the login is kept ('keyring': the
 * system's; 'file': readable by this user only); recovery is set once, after a damaged
 * local database was moved aside and rebuilt.
 */
/** The organisation's thread with FLOCERT about no NC, and what waits to be sent in it. */
export type GeneralThread = Model<app.GeneralThread, { messages: Message[] | null; pending: PendingMessage[] | null }>
/** org_role: manager (everything) or staff (never Send, no accounts); older states lack it. */
export type SessionState = Model<app.SessionState, { recovery?: Recovery | null; org_role?: 'manager' | 'staff' | string }>
export type Recovery = Model<app.Recovery>
export type LoginDefaults = Model<app.LoginDefaults>
/** version grows with every change: a lower version is an older status. */
export type SyncStatus = Model<app.SyncStatus>

/**
 * One NC in a list. due: the deadline of the NC's current step (the CA's, or the
 * evidence's once the CA is accepted), "" when nothing is due; days_left: until due,
 * negative when overdue, null when nothing is due. action: what is expected of the client now ("ca", "evidence" or "").
 * updates: analyst decisions and messages not seen yet. ready: the CA is marked ready to
 * send (✓); queued: Send was pressed. notice: a code (ca.notice.*) asking the user to
 * look at this NC again, "" when none.
 */
export type NCRow = Model<app.NCRow, { nc: NC; days_left: number | null }>

/**
 * The user's corrective measure of an NC, as the editor shows it. notice: draft_changed,
 * nc_changed, nc_closed, or why the server refused it ("" when none); other_text and
 * other_by: the other computer's text in a draft_changed conflict.
 */
export type LocalCA = Model<app.LocalCA, { draft: DraftState | string }>

/** A message written here and not on the server yet, or refused by it. */
export type PendingMessage = Model<app.PendingMessage>

/** An outbox entry as the user sees it: kind "ca.draft", "ca.submit" or "message"; state "pending" or "rejected". */
export type OutboxItem = Model<app.OutboxItem>

/**
 * What Send would send. no_files: NCs whose evidence is marked ready but that have no
 * file; uploading: files whose bytes are not on the server yet (they go first).
 */
export type SendPreview = Model<
  app.SendPreview,
  { ready: string[] | null; not_ready: string[] | null; no_files: string[] | null }
>
export type SendResult = Model<app.SendResult, { queued: string[] | null; not_ready: string[] | null }>

/**
 * An evidence file as the NC shows it. local: attached on this computer and not yet
 * submitted; code: why it was refused (errors.<code>); original_size: the photo's own
 * size when a smaller copy is sent (0 otherwise); image: a thumbnail is served.
 */
export type EvidenceRow = Model<
  app.EvidenceRow,
  { evidence: Evidence; state: EvidenceState | string }
>

/**
 * The outcome of attaching one file. id: the evidence id, when attached; code: why it
 * was refused ("" when attached); size: what will be sent; original_size: the file's own
 * size when a smaller copy of a large photo is sent; max_bytes and types: the server's
 * limits, when the file was refused as too large or of a refused type.
 */
export type AttachResult = Model<attach.AttachResult>

/**
 * The user's settings beyond the language: send a smaller copy of JPEG and PNG photos
 * above downscale_above_bytes; pause_uploads holds file uploads (messages and CAs still go).
 */
export type Preferences = Model<attach.Preferences>

/**
 * The proxy settings. mode: "" (the environment's proxy, else the system's), "none"
 * (direct) or "manual" (url, user); has_password: a password is kept in the vault;
 * source: where the proxy in use comes from ("settings", "environment", "system",
 * "direct").
 */
export type ProxyPrefs = Model<proxyprefs.Prefs, { script?: ProxyScript | null }>

/**
 * The system's proxy auto-config script (when the system's proxy is in use and has one):
 * its address, whether it was found on the network (WPAD), and why it is not used —
 * problem is "" when it is, else a code the settings word (proxy.script.problem.<code>);
 * detail is an HTTP status, a line number or the hosts searched, never translated.
 */
export type ProxyScript = Model<
  proxy.ScriptStatus,
  { problem: '' | 'unreachable' | 'http_status' | 'too_large' | 'unsupported' | 'evaluate' | 'not_detected' | string }
>

/** consent: "" (never asked: the window asks once), "on" or "off"; pending: reports kept here. */
export type CrashPrefs = Model<app.CrashPrefs>
/** A change of the proxy settings; keep_password keeps the saved one for the same user. */
export type ProxyInput = Model<proxyprefs.Input>

/**
 * One NC's screen. local: the user's CA on this computer (null when none); shared_draft:
 * the organisation's draft on the server, as last pulled; editable: the CA can be written
 * now; evidence_editable: files can be attached now; evidence_ready: the evidence is
 * marked ready to send (or queued); evidence_notice: why the evidence came back (a code,
 * evidence.notice.<code>), "" when none.
 */
export type NCDetail = Model<
  app.NCDetail,
  {
    row: NCRow
    audit: Audit
    messages: Message[] | null
    evidence: EvidenceRow[] | null
    criterion: Criterion | null
    local: LocalCA | null
    shared_draft: CADraft | null
    pending: PendingMessage[] | null
  }
>

export type CertificateRow = Model<app.CertificateRow, { certificate: Certificate }>
export type DocumentRow = Model<app.DocumentRow, { document: Document }>
export type AuditRow = Model<app.AuditRow, { audit: Audit }>

/**
 * Where an audit stands in its cycle (cycle.AuditCycle): the manual's six steps (key:
 * audit, ncs_confirmed, corrective_measures, evidence, evaluation, decision; state:
 * done, current, todo), the current step ("" when complete) and what is due next.
 */
export type CycleStep = Model<cycle.CycleStep>
/** What is due next: who (client, analyst), what (a step key), the NC due first and its real deadline. */
export type NextDue = Model<cycle.NextDue, { days_left: number | null }>
export type AuditCycle = Model<cycle.AuditCycle, { audit: Audit; steps: CycleStep[] | null; next: NextDue | null }>
export type MessageRow = Model<app.MessageRow, { message: Message }>

/** The portal's first screen. updates: unseen decisions and messages; ready: CAs marked ready. */
export type Dashboard = Model<
  app.Dashboard,
  {
    organisation: Organisation | null
    certification: Certification | null
    certificate: Certificate | null
    standing: Standing | null
    actions: NCRow[] | null
    messages: MessageRow[] | null
    today: ApiDate
  }
>

// ---- Events' payloads (written by hand: see the top) ----

/** What a sync brought from the analyst (app.Notice); stage: the NC's new one, for a decision. */
export interface Notice {
  nc_id: string
  kind: 'decision' | 'message' | string
  stage: string
}

/** Upload progress (app/evidence), a few times a second while files upload. */
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

/** Files the inbox folder attached to an NC. */
export interface EvidenceAttached {
  nc_id: string
  files: AttachResult[] | null
}

/** The change-log entities a sync changed. */
export interface DataChanged {
  entities: string[]
}

/** Every backend event the UI listens to, by name, with its payload. */
/** This build (app/version): what `ecert-desktop version --json` prints. */
export interface BuildInfo {
  version: string
  commit: string
  date: string
  /** webkit2gtk-4.1, webkit2gtk-4.0, webview2, wkwebview, or none */
  webview: string
  go: string
  os: string
  arch: string
}

/** The update state (app/update): what the About dialog shows. */
export type UpdateStatus =
  | 'disabled'
  | 'idle'
  | 'checking'
  | 'current'
  | 'available'
  | 'downloading'
  | 'installing'
  | 'installed'
  | 'refused'
  | 'failed'

export interface UpdateState {
  status: UpdateStatus
  current: string
  available?: string
  /** swap: the app installs it ("Install and restart"); notice: the package manager does. */
  mode: 'swap' | 'notice'
  /** Why it was refused or failed, or update_manual: an error code (errors.<code>). */
  code?: string
  done?: number
  total?: number
  checked_at?: string
}

/**
 * The key releases are verified with (app/update): publisher and test-only mean updates
 * are on; none, invalid and test-refused say why they are off.
 */
export type UpdateKey = Model<update.KeyState, { state: 'publisher' | 'test-only' | 'none' | 'invalid' | 'test-refused' | string }>

export interface About {
  build: BuildInfo
  update: UpdateState
  key: UpdateKey
}

export interface BackendEvents {
  'sync:status': SyncStatus
  'data:changed': DataChanged
  /** The server ended the login; reason: session_expired or password_changed. */
  'session:expired': { reason?: string } | null
  /** Analyst decisions and messages a sync brought, each once. */
  'sync:notify': Notice[]
  /** Partners of the chains newly suspended, decertified or about to expire, each once. */
  'chain:alert': ChainAlert[]
  'upload:progress': UploadProgress
  /** Files the watched inbox folder attached. */
  'evidence:attached': EvidenceAttached
  /** Paths of files dropped on the window. */
  'files:dropped': string[]
  /** The update state changed (a check, a download's progress, an install). */
  'update:state': UpdateState
  /** Rows of an export written so far (app/exports). */
  'export:progress': ExportProgress
}

/** Formats of the register; the calendar is "ics". */
export type ExportFormat = 'xlsx' | 'pdf'

/** Where an export went: path is "" when the user cancelled the save dialog. */
export interface ExportResult {
  path: string
  /** NCs in the register, events in the calendar. */
  rows: number
}

/** Progress of an export: rows written of the total, every 100 rows and at the end. */
export interface ExportProgress {
  kind: ExportFormat | 'ics'
  done: number
  total: number
}

// ---- Files library ----
export type LibraryKind = 'evidence' | 'document' | 'certificate'
export interface LibraryQuery {
  text: string
  kind: LibraryKind | ''
}
/** One place a file is used: evidence of an NC, a document, a certificate. */
export interface LibraryUse {
  kind: LibraryKind
  id: string
  nc_id: string
  subject: string
  label: string
  date: string
  /** Evidence: submitted, attached, pending (waits to go) or refused (code says why). */
  state: '' | 'submitted' | 'attached' | 'pending' | 'refused'
  code: string
}
export interface LibraryFile {
  sha256: string
  name: string
  size: number
  media_type: string
  kinds: LibraryKind[] | null
  uses: LibraryUse[] | null
  ncs: string[] | null
  cached: boolean
  on_server: boolean
}
export interface LibraryTarget {
  nc_id: string
  audit_id: string
  criterion: string
  linked: boolean
}
export interface LinkResult {
  id: string
  already: boolean
}

// ---- Partners ----
export interface PartnerQuery {
  text: string
  country: string
  product: string
  role: string
  status: string
  limit: number
}
export interface Partner {
  flo_id: string
  name: string
  country: string
  role: string
  products: string[] | null
  status: 'certified' | 'suspended' | 'decertified' | 'in_application'
  valid_until?: string
  status_changed_at: string
  seq: number
  checked_at?: string
}
export interface PartnerResults {
  partners: Partner[] | null
  more: boolean
  freshness: { operators: number; synced_at: string }
}
/** A partner of a supply chain (fairmonitor.Partner), its status from the directory's copy. */
export interface ChainPartner {
  id?: string
  product: string
  flo_id: string
  role?: 'buyer' | 'supplier' | string
  added_by?: string
  added_at?: string
  revision?: number
  /** An edit made here, not yet confirmed by the server. */
  pending?: 'add' | 'remove' | string
  name: string
  country: string
  status: Partner['status'] | ''
  valid_until: string
  expiring: boolean
}
export interface Chain {
  product: string
  partners: ChainPartner[] | null
  at_risk: number
}
export interface ChainsView {
  chains: Chain[] | null
}
export interface ChainEdit {
  product: string
  flo_id: string
  role: string
}
/** An alert about a chain's partner (chains.Alert), raised once per event. */
export interface ChainAlert {
  flo_id: string
  name: string
  event: 'suspended' | 'decertified' | 'expiring' | string
  valid_until: string
  products: string[] | null
}
/** An alert raised before (chains.PastAlert), for the chains page's list. */
export interface PastChainAlert {
  key: string
  flo_id: string
  name: string
  event: 'suspended' | 'decertified' | 'expiring' | string
  /** The status change's time (RFC 3339) or, for an expiry, the validity date. */
  fact: string
  raised_at: string
  /** '' until the user marked it seen. */
  seen_at: string
}
export interface PartnerStatus extends Partner {
  checked: boolean
  not_checked?: string
  copy_at: string
}

/** One change made to an NC on this computer, from its tamper-evident trail. */
export interface TrailEntry {
  seq: number
  /** RFC 3339, UTC. */
  at: string
  /** The user name logged in when the change was made. */
  author: string
  /** That account's display name, from the organisation's accounts as last synced. */
  author_name?: string
  /** What changed: an outbox kind (ca.draft, message, evidence.add…) or a mark (ca.ready). */
  kind: string
  hash: string
  /** The server holds the entry. */
  sent: boolean
}

// ---- Team (app/team) ----
/** An account of the organisation; password only right after a creation or a reset. */
export type Account = Model<team.Account, { role: 'manager' | 'staff' | string }>
/** An NC's responsible person and internal due date (nc.assign; usernames, not names). */
export type Assignment = Model<api.Assignment, { due?: ApiDate; assigned_at: Timestamp }>
/** An account of the organisation as the replica pulled it (entity member). */
export type Member = Model<api.Member, { org_role: 'manager' | 'staff' | string }>
/** What one person must finish by an internal due date within a week (overdue included). */
export interface DueSoon {
  assignee: string
  name: string
  items: Assignment[] | null
}

// ---- Calendar subscription (app/calendar) ----
/** The user's calendar feed; url is '' when it was made on another computer. */
export type CalendarSubscription = Model<calendar.Subscription, { created_at: Timestamp }>
