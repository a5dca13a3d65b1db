// The one boundary between the UI and the Go backend. Only this module imports the
// Wails bindings (../wailsjs), and only the Pinia stores import this module (a test
// checks both); tests replace it with vi.mock. The data's types are in types.ts.
// Every call returns a Promise; a rejection carries an error code (see errorCode),
// never text meant for the user.
import * as SessionAPI from '../wailsjs/go/app/Session'
import * as SyncAPI from '../wailsjs/go/app/Sync'
import * as PortalAPI from '../wailsjs/go/app/Portal'
import * as SettingsAPI from '../wailsjs/go/app/Settings'
import * as CAAPI from '../wailsjs/go/app/CA'
import * as OutboxAPI from '../wailsjs/go/app/Outbox'
import * as EvidenceAPI from '../wailsjs/go/attach/Evidence'
import * as PartnersAPI from '../wailsjs/go/partners/Partners'
import * as LibraryAPI from '../wailsjs/go/library/Library'
import * as ChainsAPI from '../wailsjs/go/fairmonitor/Chains'
import * as ExportAPI from '../wailsjs/go/exports/Export'
import * as UpdatesAPI from '../wailsjs/go/update/Service'
import * as AuditAPI from '../wailsjs/go/audit/Audit'
import * as RequestsAPI from '../wailsjs/go/requests/Requests'
import * as TeamAPI from '../wailsjs/go/team/Team'
import * as CalendarAPI from '../wailsjs/go/calendar/Calendar'
import { ClipboardSetText, EventsEmit, EventsOn } from '../wailsjs/runtime/runtime'
import type {
  ChangeProposal,
  ChangeRequest,
  About,
  ChainEdit,
  PastChainAlert,
  ChainsView,
  Account,
  CalendarSubscription,
  Assignment,
  Member,
  DueSoon,
  AttachResult,
  AuditRow,
  AuditCycle,
  BackendEvents,
  CertificateRow,
  Certification,
  Standing,
  Contact,
  CrashPrefs,
  Criterion,
  Dashboard,
  DocumentRow,
  ExportFormat,
  ExportResult,
  GeneralThread,
  LibraryFile,
  LibraryQuery,
  LibraryTarget,
  LinkResult,
  LocalCA,
  LoginDefaults,
  NCDetail,
  NCFilter,
  NCRow,
  Organisation,
  PartnerQuery,
  PartnerResults,
  PartnerStatus,
  OutboxItem,
  Preferences,
  ProxyInput,
  ProxyPrefs,
  SendPreview,
  SendResult,
  SessionState,
  SyncStatus,
  TrailEntry,
  UpdateState,
} from './types'

// ---- Errors ----

export { errorCode } from './errors'

// The bindings return the generated classes' types; what arrives is their JSON, which
// types.ts states more precisely (null slices, timestamps), so the wrappers say so.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const call = <T>(p: Promise<any>): Promise<T> => p as Promise<T>

// ---- Session ----
export const sessionState = () => call<SessionState>(SessionAPI.State())
export const loginDefaults = () => call<LoginDefaults>(SessionAPI.Defaults())
export const login = (server: string, username: string, password: string) =>
  call<SessionState>(SessionAPI.Login(server, username, password))
export const logout = () => call<void>(SessionAPI.Logout())
/** Changes the password on the server at once (never queued: offline rejects needs_connection). */
export const changePassword = (current: string, next: string) => call<void>(SessionAPI.ChangePassword(current, next))

// ---- Sync ----
export const syncStatus = () => call<SyncStatus>(SyncAPI.Status())
export const syncNow = () => call<void>(SyncAPI.SyncNow())

// ---- Portal ----
/** The dashboard, with the first page of what needs action (actions_total says how many in all). */
export const dashboard = () => call<Dashboard>(PortalAPI.Dashboard())
/** More of the dashboard's "needs action" rows: from offset, at most limit (1–1,000). */
export const dashboardActions = (offset: number, limit: number) =>
  call<NCRow[] | null>(PortalAPI.DashboardActions(offset, limit))
export const organisation = () => call<Organisation | null>(PortalAPI.Organisation())
export const certification = () => call<Certification | null>(PortalAPI.Certification())
/** The certification status as it stands today (never plain "certified" when expired). */
export const standing = () => call<Standing | null>(PortalAPI.Standing())
export const contacts = () => call<Contact[] | null>(PortalAPI.Contacts())
export const certificates = () => call<CertificateRow[] | null>(PortalAPI.Certificates())
export const documents = () => call<DocumentRow[] | null>(PortalAPI.Documents())
export const audits = () => call<AuditRow[] | null>(PortalAPI.Audits())
/** Where each audit stands in its cycle, the latest audit first. */
export const cycles = () => call<AuditCycle[] | null>(PortalAPI.Cycles())
export const ncs = (filter: NCFilter) => call<NCRow[] | null>(PortalAPI.NCs(filter))
export const nc = (id: string) => call<NCDetail>(PortalAPI.NC(id))
export const checklist = () => call<Criterion[] | null>(PortalAPI.Checklist())
export const markRead = (ncId: string) => call<void>(PortalAPI.MarkRead(ncId))
/** The organisation's thread with FLOCERT about no NC (Contacts page); markRead('') reads it. */
export const generalThread = () => call<GeneralThread>(PortalAPI.GeneralThread())
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
/** Queues a message to FLOCERT about no NC (the general thread; works offline). */
export const outboxGeneralMessage = (text: string) => call<void>(OutboxAPI.GeneralMessage(text))
export const outboxList = () => call<OutboxItem[] | null>(OutboxAPI.List())
/** Removes a refused entry the user has read. */
export const outboxDismiss = (seq: number) => call<void>(OutboxAPI.Dismiss(seq))

// ---- Change requests (contacts, master data), queued like messages ----
/** Checks and queues a proposal; a refusal is a code (invalid_email, no_change …). */
export const requestPropose = (p: ChangeProposal) => call<ChangeRequest>(RequestsAPI.Propose(p as never))
export const requestList = () => call<ChangeRequest[] | null>(RequestsAPI.List())

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

// ---- Exports, written offline from the replica ----
/**
 * Asks where to save the register of a list filter (native dialog) and writes it; only,
 * when not empty, keeps the NCs a search shows.
 */
export const exportRegister = (format: ExportFormat, filter: NCFilter, only: string[]) =>
  call<ExportResult>(ExportAPI.Register(format, filter, only))
/** Asks where to save the deadlines calendar (.ics) and writes it. */
export const exportCalendar = () => call<ExportResult>(ExportAPI.Calendar())
/** Opens the last exported file with the system's program. */
export const exportOpenLast = () => call<void>(ExportAPI.OpenLast())

// ---- The calendar feed, made and revoked with the server (online only) ----
/** Whether the user has a feed, with its address when this computer made it. */
export const calendarSubscription = () => call<CalendarSubscription>(CalendarAPI.Subscription())
/** Makes a new feed in the UI's language, ending the one before. */
export const calendarSubscribe = () => call<CalendarSubscription>(CalendarAPI.Subscribe())
/** Revokes the feed: its address stops working at once. */
export const calendarRevoke = () => call<void>(CalendarAPI.Revoke())
/** Puts text on the system's clipboard; false when it could not. */
export const copyText = (text: string) => call<boolean>(ClipboardSetText(text))

// ---- Settings ----
export const language = () => call<string>(SettingsAPI.Language())
export const setLanguage = (lang: string) => call<void>(SettingsAPI.SetLanguage(lang))
/** The proxy settings and where the proxy in use comes from; never the password. */
export const proxy = () => call<ProxyPrefs>(SettingsAPI.Proxy())
/** Whether crash reports are sent ("" never asked, "on", "off") and how many are kept. */
export const crashReports = () => call<CrashPrefs>(SettingsAPI.CrashReports())
/** Saves the user's answer: send crash reports at each sync, or never. */
export const setCrashReports = (on: boolean) => call<void>(SettingsAPI.SetCrashReports(on))
/** Saves the proxy settings (rejects "invalid_proxy"); the running sync uses them at once. */
export const setProxy = (p: ProxyInput) => call<ProxyPrefs>(SettingsAPI.SetProxy(p))

// ---- About and updates (app/update) ----
/** This build's version, commit, date, web view, and the update state. */
export const about = () => call<About>(UpdatesAPI.About())
/** Checks the server's signed release now; a refusal is in the state's code. */
export const updateCheck = () => call<UpdateState>(UpdatesAPI.Check())
/** Installs the available release and restarts; rejects with an update_* code. */
export const updateInstall = () => call<UpdateState>(UpdatesAPI.Install())

// ---- Files served by the app over HTTP (same origin) ----
export const fileUrl = (sha256: string) => `/files/${encodeURIComponent(sha256)}`
/** A small picture of an image file (rows with image = true). */
export const thumbUrl = (sha256: string) => `/thumbs/${encodeURIComponent(sha256)}`

// ---- Events ----

/**
 * onEvent subscribes to a backend event (see BackendEvents for the names and payloads)
 * and returns an unsubscribe function that is safe to call more than once (Wails v2.9.2
 * throws on a second unsubscribe).
 */
export function onEvent<K extends keyof BackendEvents>(name: K, cb: (payload: BackendEvents[K]) => void): () => void {
  const off = EventsOn(name, (payload: BackendEvents[K]) => cb(payload))
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

// ---- Files library (the organisation's files; linking one to an NC, no upload) ----
export const listFiles = (q: LibraryQuery) => call<LibraryFile[] | null>(LibraryAPI.List(q as never))
/** The NCs awaiting evidence that a file may be linked to, and which have it already. */
export const fileTargets = (sha256: string) => call<LibraryTarget[] | null>(LibraryAPI.Targets(sha256))
/** Links a file to an NC's evidence (queued offline; the same link twice is one). */
export const linkFile = (ncId: string, sha256: string, subject: string) => call<LinkResult>(LibraryAPI.Link(ncId, sha256, subject))

// ---- Partners (the operator directory, searched offline) ----
export const searchPartners = (q: PartnerQuery) => call<PartnerResults>(PartnersAPI.Search(q as never))
export const partnerStatus = (floID: string) => call<PartnerStatus>(PartnersAPI.Status(floID))
// ---- Supply chains (FairMonitor), edited offline ----
export const listChains = () => call<ChainsView>(ChainsAPI.List())
export const addToChain = (e: ChainEdit) => call<void>(ChainsAPI.Add(e as never))
export const removeFromChain = (product: string, floID: string) => call<void>(ChainsAPI.Remove(product, floID))
export const listChainAlerts = () => call<PastChainAlert[] | null>(ChainsAPI.Alerts())
/** markChainAlertsSeen marks these alerts seen (every unseen one when keys is empty). */
export const markChainAlertsSeen = (keys: string[]) => call<number>(ChainsAPI.MarkSeen(keys))
/** savePartnerProof asks where to save the proof; "" when the user cancelled. */
export const savePartnerProof = (floID: string) => call<string>(PartnersAPI.SaveProof(floID))

// ---- Trail ----

/** The changes made to an NC on this computer, oldest first. */
export const ncTrail = (ncId: string) => call<TrailEntry[] | null>(AuditAPI.NCTrail(ncId))

// ---- Team: the organisation's accounts (its manager; online only, never queued) ----
export const teamAccounts = () => call<Account[] | null>(TeamAPI.Accounts())
/** Creates a staff account; the answer carries its temporary password, shown once. */
export const teamAddStaff = (username: string, name: string) => call<Account>(TeamAPI.AddStaff(username, name))
export const teamDisable = (username: string) => call<Account>(TeamAPI.Disable(username))
export const teamEnable = (username: string) => call<Account>(TeamAPI.Enable(username))
/** A new temporary password for a staff account; its sessions end. */
export const teamResetPassword = (username: string) => call<Account>(TeamAPI.ResetPassword(username))
/** Every NC's responsible person, as synced or set here (offline). */
export const teamAssignments = () => call<Assignment[] | null>(TeamAPI.Assignments())
/** The organisation's accounts as last synced, disabled ones included (offline). */
export const teamMembers = () => call<Member[] | null>(TeamAPI.Members())
/** Assigns an NC (manager; offline, synced); an empty username removes the assignment. */
export const teamAssign = (ncID: string, username: string, due: string) => call<Assignment | null>(TeamAPI.Assign(ncID, username, due))
/** The internal due dates of the coming week (and overdue ones), by person. */
export const teamDueThisWeek = () => call<DueSoon[] | null>(TeamAPI.DueThisWeek())
