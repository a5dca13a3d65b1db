import { beforeEach, describe, expect, it, vi } from 'vitest'
import { createPinia, setActivePinia } from 'pinia'
import * as backend from '../backend'
import { useSessionStore } from '../stores/session'
import { useSyncStore } from '../stores/sync'
import { DASHBOARD_PAGE, inFilter, matchesNC, usePortalStore } from '../stores/portal'
import type { NCFilter } from '../types'
import { useSettingsStore } from '../stores/settings'
import { i18n } from '../i18n'
import { dashboard, detail, ncRow, syncStatus } from './fixtures'

vi.mock('../backend', async () => (await import('./backendMock')).default)
const b = vi.mocked(backend)

beforeEach(() => {
  setActivePinia(createPinia())
  vi.clearAllMocks()
})

describe('session store', () => {
  it('loads the state and the login defaults', async () => {
    b.sessionState.mockResolvedValue({ logged_in: true, server: 's', username: 'coop', name: 'Coop', org_id: '1', org_name: 'O', has_data: true, token_store: '' })
    b.loginDefaults.mockResolvedValue({ server: 'http://x', username: 'u', password: 'p' })
    const s = useSessionStore()
    await s.init()
    expect(s.ready).toBe(true)
    expect(s.loggedIn).toBe(true)
    expect(s.defaults.server).toBe('http://x')
  })

  it('keeps the error code of a failed login', async () => {
    b.login.mockRejectedValue('bad_credentials')
    const s = useSessionStore()
    expect(await s.login('http://x', 'u', 'wrong')).toBe(false)
    expect(s.error).toBe('bad_credentials')
    expect(s.loggedIn).toBe(false)
  })

  it('never keeps raw error text', async () => {
    b.login.mockRejectedValue(new Error('Post "http://x": dial tcp: connection refused'))
    const s = useSessionStore()
    await s.login('http://x', 'u', 'p')
    expect(s.error).toBe('unknown')
  })

  it('logs in and trims the fields', async () => {
    b.login.mockResolvedValue({ logged_in: true, server: 'http://x', username: 'u', name: '', org_id: '', org_name: '', has_data: false, token_store: '' })
    const s = useSessionStore()
    expect(await s.login(' http://x ', ' u ', 'p')).toBe(true)
    expect(b.login).toHaveBeenCalledWith('http://x', 'u', 'p')
  })

  it('keeps the user name when the session expires', async () => {
    b.sessionState.mockResolvedValue({ logged_in: true, server: 's', username: 'coop', name: '', org_id: '', org_name: '', has_data: true, token_store: '' })
    b.loginDefaults.mockResolvedValue({ server: '', username: '', password: '' })
    const s = useSessionStore()
    await s.init()
    s.sessionExpired()
    expect(s.loggedIn).toBe(false)
    expect(s.expired).toBe(true)
    expect(s.state.username).toBe('coop')
  })
})

describe('sync store', () => {
  it('takes the status from the backend and from events', async () => {
    b.syncStatus.mockResolvedValue(syncStatus({ online: false, pending: 2 }))
    const s = useSyncStore()
    await s.refresh()
    expect(s.status.online).toBe(false)
    expect(s.status.pending).toBe(2)
    s.set(syncStatus({ online: true, last_error: 'unreachable' }))
    expect(s.status.online).toBe(true)
    expect(s.status.last_error).toBe('unreachable')
  })

  it('reports a failed sync request as a code', async () => {
    b.syncNow.mockRejectedValue('offline')
    b.syncStatus.mockResolvedValue(syncStatus({ online: false }))
    const s = useSyncStore()
    await s.syncNow()
    expect(b.syncNow).toHaveBeenCalledOnce()
    expect(s.error).toBe('offline')
  })
})

describe('portal store', () => {
  it("loads every NC once, then shows the chosen filter's rows and searches them", async () => {
    const rows = [
      ncRow({ finding: 'Premium not explained', stage: 'evidence_returned' }),
      ncRow({ criterion_number: '4.1.0.01', finding: 'Pesticide records', stage: 'evidence_requested' }),
      ncRow({ finding: 'Pesticide storage', stage: 'ca_requested' }),
      ncRow({ finding: 'Closed', stage: 'closed' }),
    ]
    b.ncs.mockResolvedValue(rows)
    const p = usePortalStore()
    await p.setFilter('evidence')
    expect(b.ncs).toHaveBeenCalledExactlyOnceWith('all')
    expect(p.ncVisible.map((r) => r.nc.finding)).toEqual(['Premium not explained', 'Pesticide records'])
    p.ncSearch = 'pesticide'
    expect(p.ncVisible.map((r) => r.nc.finding)).toEqual(['Pesticide records'])
    await p.setFilter('open')
    expect(p.ncVisible.map((r) => r.nc.finding)).toEqual(['Pesticide records', 'Pesticide storage'])
    p.ncSearch = ''
    await p.setFilter('history')
    expect(p.ncVisible.map((r) => r.nc.finding)).toEqual(['Closed'])
    await p.setFilter('all')
    expect(p.ncVisible).toHaveLength(4)
    expect(b.ncs).toHaveBeenCalledOnce()
  })

  it("asks for the dashboard's actions a page at a time, and a reload keeps as many", async () => {
    const page = (from: number, n: number) => Array.from({ length: n }, (_, i) => ncRow({ id: `NC-${from + i}` }))
    b.dashboard.mockResolvedValue(dashboard({ actions: page(0, 50), actions_total: 180 }))
    b.dashboardActions.mockImplementation(async (offset: number, limit: number) => page(offset, Math.min(limit, 180 - offset)))
    const p = usePortalStore()
    await p.show('dashboard')
    expect(p.dashboardActions).toHaveLength(50)
    expect(b.dashboardActions).not.toHaveBeenCalled()
    await Promise.all([p.moreActions(), p.moreActions()]) // one request while one is asked
    expect(b.dashboardActions).toHaveBeenCalledExactlyOnceWith(50, DASHBOARD_PAGE)
    await p.moreActions()
    expect(p.dashboardActions.map((r) => r.nc.id)).toEqual(page(0, 180).map((r) => r.nc.id))
    await p.moreActions() // all there: nothing more to ask
    expect(b.dashboardActions).toHaveBeenCalledTimes(2)
    await p.localChanged()
    expect(b.dashboardActions).toHaveBeenLastCalledWith(50, 130)
    expect(p.dashboardActions).toHaveLength(180)
  })

  it('filters by stage as the backend does', () => {
    const cases: [string, NCFilter[]][] = [
      ['ca_requested', ['ca', 'open', 'all']],
      ['ca_submitted', ['open', 'all']],
      ['ca_returned', ['ca', 'open', 'all']],
      ['evidence_requested', ['evidence', 'open', 'all']],
      ['evidence_submitted', ['open', 'all']],
      ['evidence_returned', ['evidence', 'open', 'all']],
      ['closed', ['history', 'all']],
    ]
    const filters: NCFilter[] = ['ca', 'evidence', 'open', 'history', 'all']
    for (const [stage, want] of cases) {
      const r = ncRow({ stage })
      expect(filters.filter((f) => inFilter[f](r)), stage).toEqual(want)
    }
  })

  it('reloads the NCs when a sync changed them, not when the list is shown again', async () => {
    b.ncs.mockResolvedValue([ncRow()])
    const p = usePortalStore()
    await Promise.all([p.show('ncs'), p.show('ncs')])
    expect(b.ncs).toHaveBeenCalledOnce()
    await p.show('ncs')
    expect(b.ncs).toHaveBeenCalledOnce()
    await p.dataChanged(['message'])
    expect(b.ncs).toHaveBeenCalledTimes(2)
    await p.dataChanged(['contact'])
    expect(b.ncs).toHaveBeenCalledTimes(2)
  })

  it('searches a row again after a reload brings it changed', async () => {
    b.ncs.mockResolvedValue([ncRow({ id: 'NC-9-2019', finding: 'Before' })])
    const p = usePortalStore()
    await p.setFilter('all')
    p.ncSearch = 'after'
    expect(p.ncVisible).toHaveLength(0)
    b.ncs.mockResolvedValue([ncRow({ id: 'NC-9-2019', finding: 'After' })])
    await p.dataChanged(['nc'])
    expect(p.ncVisible.map((r) => r.nc.id)).toEqual(['NC-9-2019'])
  })

  it('matches without case or accents, on every word', () => {
    const r = ncRow({ criterion_text: 'Sécurité des travailleurs' })
    expect(matchesNC(r, 'SECURITE travailleurs')).toBe(true)
    expect(matchesNC(r, 'securite absent')).toBe(false)
    expect(matchesNC(r, '  ')).toBe(true)
  })

  it('keeps the error code of a failed load', async () => {
    b.contacts.mockRejectedValue('internal')
    const p = usePortalStore()
    await p.load('contacts')
    expect(p.errors.contacts).toBe('internal')
  })

  it('reloads only the loaded screens that a sync changed', async () => {
    b.dashboard.mockResolvedValue(dashboard())
    b.contacts.mockResolvedValue([])
    b.documents.mockResolvedValue([])
    const p = usePortalStore()
    await p.load('dashboard')
    await p.load('contacts')
    vi.clearAllMocks()
    await p.dataChanged(['nc'])
    expect(b.dashboard).toHaveBeenCalledOnce()
    expect(b.contacts).not.toHaveBeenCalled()
    expect(b.documents).not.toHaveBeenCalled() // never loaded
    await p.dataChanged(['contact'])
    expect(b.contacts).toHaveBeenCalledOnce()
  })

  it('counts NCs expecting action and unread messages for the menu badge', async () => {
    b.dashboard.mockResolvedValue(dashboard({ ca_count: 4, evidence_count: 1, unread: 7 }))
    const p = usePortalStore()
    await p.load('dashboard')
    expect(p.badge).toBe(5)
    expect(p.unread).toBe(7)
  })

  it('marks an NC read and refreshes the counts', async () => {
    b.markRead.mockResolvedValue(undefined)
    b.dashboard.mockResolvedValue(dashboard({ unread: 0 }))
    const p = usePortalStore()
    await p.markRead('NC-1')
    expect(b.markRead).toHaveBeenCalledWith('NC-1')
    expect(b.dashboard).toHaveBeenCalled()
  })

  it('refreshes the open NC after reading its thread, so its badge clears', async () => {
    b.markRead.mockResolvedValue(undefined)
    b.dashboard.mockResolvedValue(dashboard({ unread: 0 }))
    const unread = detail(ncRow({ id: 'NC-9' }, { unread: 2 }))
    const read = detail(ncRow({ id: 'NC-9' }, { unread: 0 }))
    b.nc.mockResolvedValueOnce(unread).mockResolvedValueOnce(read)
    const p = usePortalStore()
    await p.openNC(read.row.nc.id)
    expect(p.detail?.row.unread).toBe(2)
    await p.markRead(read.row.nc.id)
    expect(p.detail?.row.unread).toBe(0)
  })
})

describe('sync store', () => {
  it('keeps the newest status when an older answer arrives after an event', async () => {
    const s = useSyncStore()
    s.set(syncStatus({ online: true, version: 5 }))
    b.syncStatus.mockResolvedValue(syncStatus({ online: false, version: 3 }))
    await s.refresh()
    expect(s.status.online).toBe(true)
    b.syncStatus.mockResolvedValue(syncStatus({ online: false, last_error: 'unreachable', version: 6 }))
    await s.refresh()
    expect(s.status.online).toBe(false)
  })
})

describe('settings store', () => {
  it('starts in the saved or system language', async () => {
    b.language.mockResolvedValue('es')
    const s = useSettingsStore()
    await s.load()
    expect(s.lang).toBe('es')
    expect(i18n.global.locale.value).toBe('es')
  })

  it('changes the language at once and saves it', async () => {
    b.setLanguage.mockResolvedValue(undefined)
    const s = useSettingsStore()
    await s.setLanguage('fr')
    expect(i18n.global.locale.value).toBe('fr')
    expect(b.setLanguage).toHaveBeenCalledWith('fr')
  })
})
