// A stand-in for src/backend.ts (the Wails boundary): every call is a vi.fn that tests
// program; events are captured so a test can emit them.
import { vi } from 'vitest'
import { errorCode } from '../errors'

type Handler = (payload: unknown) => void
export const handlers = new Map<string, Handler[]>()

/** emit delivers a backend event to the subscribed UI. */
export function emit(name: string, payload?: unknown) {
  for (const h of handlers.get(name) ?? []) h(payload)
}

const mock = {
  errorCode,
  fileUrl: (sha: string) => `/files/${sha}`,
  EVENT_SHOWN: 'startup:shown',
  announceShown: vi.fn(),
  thumbUrl: (sha: string) => `/thumbs/${sha}`,
  onEvent: vi.fn((name: string, cb: Handler) => {
    handlers.set(name, [...(handlers.get(name) ?? []), cb])
    return () => handlers.set(name, (handlers.get(name) ?? []).filter((h) => h !== cb))
  }),
  sessionState: vi.fn(),
  listFiles: vi.fn(),
  fileTargets: vi.fn(),
  linkFile: vi.fn(),
  searchPartners: vi.fn(),
  listChains: vi.fn(),
  addToChain: vi.fn(),
  removeFromChain: vi.fn(),
  listChainAlerts: vi.fn(),
  markChainAlertsSeen: vi.fn(),
  teamAccounts: vi.fn(),
  teamAssignments: vi.fn(),
  teamAssign: vi.fn(),
  teamDueThisWeek: vi.fn(),
  teamAddStaff: vi.fn(),
  teamDisable: vi.fn(),
  teamEnable: vi.fn(),
  teamResetPassword: vi.fn(),
  partnerStatus: vi.fn(),
  savePartnerProof: vi.fn(),
  loginDefaults: vi.fn(),
  login: vi.fn(),
  logout: vi.fn(),
  changePassword: vi.fn(),
  generalThread: vi.fn(),
  outboxGeneralMessage: vi.fn(),
  requestPropose: vi.fn(),
  requestList: vi.fn(async () => []),
  syncStatus: vi.fn(),
  syncNow: vi.fn(),
  dashboard: vi.fn(),
  dashboardActions: vi.fn(),
  organisation: vi.fn(),
  certification: vi.fn(),
  standing: vi.fn(),
  contacts: vi.fn(),
  certificates: vi.fn(),
  documents: vi.fn(),
  audits: vi.fn(),
  cycles: vi.fn(),
  ncs: vi.fn(),
  nc: vi.fn(),
  checklist: vi.fn(),
  markRead: vi.fn(),
  markSeen: vi.fn(),
  caAutosave: vi.fn(),
  caSaveDraft: vi.fn(),
  caSetReady: vi.fn(),
  caResolve: vi.fn(),
  caSendPreview: vi.fn(),
  caSend: vi.fn(),
  outboxMessage: vi.fn(),
  outboxList: vi.fn(),
  outboxDismiss: vi.fn(),
  openFile: vi.fn(),
  saveFileAs: vi.fn(),
  evidenceAddWithDialog: vi.fn(),
  evidenceAddFiles: vi.fn(),
  evidenceRemove: vi.fn(),
  evidenceSetSubject: vi.fn(),
  evidenceSetReady: vi.fn(),
  evidenceInbox: vi.fn(),
  evidenceOpenInbox: vi.fn(),
  evidencePreferences: vi.fn(),
  evidenceSetPreferences: vi.fn(),
  exportRegister: vi.fn(),
  exportCalendar: vi.fn(),
  ncTrail: vi.fn(),
  exportOpenLast: vi.fn(),
  language: vi.fn(),
  setLanguage: vi.fn(),
  about: vi.fn(),
  updateCheck: vi.fn(),
  updateInstall: vi.fn(),
  proxy: vi.fn(),
  crashReports: vi.fn(),
  setCrashReports: vi.fn(),
  setProxy: vi.fn(),
}

export default mock
