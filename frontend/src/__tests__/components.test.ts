import { beforeEach, describe, expect, it, vi } from 'vitest'
import { flushPromises } from '@vue/test-utils'
import * as backend from '../backend'
import StatusBar from '../components/shell/StatusBar.vue'
import VirtualTable from '../components/nc-table/VirtualTable'
import FileActions from '../components/files/FileActions.vue'
import NcListView from '../views/NcListView.vue'
import NcDetailView from '../views/NcDetailView.vue'
import DashboardView from '../views/DashboardView.vue'
import { useSyncStore } from '../stores/sync'
import { useSessionStore } from '../stores/session'
import { i18n } from '../i18n'
import { dashboard, detail, ncRow, syncStatus } from './fixtures'
import { mountScreen } from './mount'

vi.mock('../backend', async () => (await import('./backendMock')).default)
const b = vi.mocked(backend)

beforeEach(() => {
  vi.clearAllMocks()
  document.body.innerHTML = ''
  b.setLanguage.mockResolvedValue(undefined)
  b.syncStatus.mockResolvedValue(syncStatus())
  b.dashboard.mockResolvedValue(dashboard())
  b.markRead.mockResolvedValue(undefined)
})

describe('StatusBar', () => {
  async function bar(status: Parameters<typeof syncStatus>[0], lang: 'en' | 'fr' = 'en', loggedIn = true) {
    const m = await mountScreen(StatusBar, { lang })
    const session = useSessionStore()
    session.state = { ...session.state, logged_in: loggedIn, username: 'coop' }
    useSyncStore().set(syncStatus(status))
    await flushPromises()
    return m.wrapper
  }

  it('shows online, the last sync time and no error', async () => {
    const local = new Date(2026, 10, 27, 9, 41).toISOString()
    const w = await bar({ online: true, last_sync: local })
    expect(w.get('[data-testid=status-online]').text()).toBe('Online')
    expect(w.get('[data-testid=status-online]').attributes('data-online')).toBe('true')
    expect(w.get('[data-testid=status-last-sync]').text()).toBe('Last sync: 27/11/2026 09:41')
    expect(w.find('[data-testid=status-error]').exists()).toBe(false)
  })

  it('shows a dropped link calmly: offline, when last in touch, what waits — no error', async () => {
    const w = await bar({ online: false, last_error: 'unreachable', pending: 3 })
    expect(w.get('[data-testid=status-online]').text()).toBe('Offline')
    expect(w.get('[data-testid=status-online]').attributes('title')).toContain('The Ecert server cannot be reached')
    expect(w.find('[data-testid=status-error]').exists()).toBe(false)
    expect(w.get('[data-testid=status-pending]').text()).toBe('3 changes waiting to be sent')
    expect(w.get('[data-testid=status-last-sync]').text()).toBe('Not synced yet')
  })

  it.each([
    ['fr', 'Hors ligne — dernier contact à 14:02', "3 modifications en attente d'envoi"],
    ['en', 'Offline — last contact at 14:02', '3 changes waiting to be sent'],
  ] as const)('says when it was last in touch (%s)', async (lang, conn, pending) => {
    const now = new Date()
    const at = new Date(now.getFullYear(), now.getMonth(), now.getDate(), 14, 2).toISOString()
    const w = await bar({ online: false, last_error: 'unreachable', last_contact: at, pending: 3 }, lang)
    expect(w.get('[data-testid=status-online]').text()).toBe(conn)
    expect(w.get('[data-testid=status-pending]').text()).toBe(pending)
    expect(w.find('[data-testid=status-error]').exists()).toBe(false)
    expect(w.find('.status-bar .error').exists()).toBe(false)
  })

  it.each([
    ['fr', 'Hors ligne — dernier contact à 14:02', 'Tout est conservé sur cet ordinateur'],
    ['en', 'Offline — last contact at 14:02', 'Everything is kept on this computer'],
  ] as const)('shows offline found while idle, with no failed sync, as offline — not connecting (%s)', async (lang, conn, kept) => {
    const now = new Date()
    const at = new Date(now.getFullYear(), now.getMonth(), now.getDate(), 14, 2).toISOString()
    const w = await bar({ online: false, last_error: '', last_contact: at, pending: 2 }, lang)
    expect(w.get('[data-testid=status-online]').text()).toBe(conn)
    expect(w.get('[data-testid=status-online]').attributes('title')).toContain(kept)
    expect(w.get('[data-testid=status-pending]').attributes('title')).toContain(kept)
    expect(w.find('[data-testid=status-error]').exists()).toBe(false)
  })

  it('shows no error for a dropped link once the server answers again', async () => {
    const w = await bar({ online: true, last_error: 'unreachable', pending: 1 })
    expect(w.get('[data-testid=status-online]').text()).toBe('Online')
    expect(w.find('[data-testid=status-error]').exists()).toBe(false)
    expect(w.get('[data-testid=status-pending]').attributes('title') ?? '').toBe('')
  })

  it('gives the day of a last contact that was not today', async () => {
    const at = new Date(2026, 10, 27, 9, 41).toISOString()
    const w = await bar({ online: false, last_error: 'timeout', last_contact: at }, 'fr')
    expect(w.get('[data-testid=status-online]').text()).toBe('Hors ligne — dernier contact le 27/11/2026 à 09:41')
  })

  it('still shows a real failure as an error, whole in its tooltip', async () => {
    const w = await bar({ online: true, last_error: 'server_error' })
    const err = w.get('[data-testid=status-error]')
    expect(err.text()).toContain('The server had a problem')
    expect(err.attributes('title')).toContain('The server had a problem. Your data is safe; the app will try again later.')
  })

  it('says "not logged in" rather than guessing offline, and offers no sync', async () => {
    const w = await bar({ online: false }, 'en', false)
    expect(w.get('[data-testid=status-online]').text()).toBe('Not logged in')
    expect(w.find('[data-testid=sync-now]').exists()).toBe(false)
  })

  it('says where the login is kept', async () => {
    const w = await bar({ online: true })
    const session = useSessionStore()
    session.state = { ...session.state, name: 'Marie', token_store: 'keyring' }
    await flushPromises()
    expect(w.get('[data-testid=status-user]').attributes('title')).toBe('Your login is kept in the system keyring.')
    session.state = { ...session.state, token_store: 'file' }
    await flushPromises()
    expect(w.get('[data-testid=status-user]').attributes('title')).toContain('only you can read')
  })

  it('says "connecting" before the server first answered', async () => {
    const w = await bar({ online: false, last_error: '' })
    expect(w.get('[data-testid=status-online]').text()).toBe('Connecting…')
  })

  it('never shows an unknown error code as is', async () => {
    const w = await bar({ online: false, last_error: 'weird_new_code' })
    expect(w.get('[data-testid=status-error]').text()).toBe('Error: An unexpected error occurred.')
  })

  it('shows syncing and disables Sync now meanwhile', async () => {
    const w = await bar({ online: true, syncing: true })
    expect(w.get('[data-testid=status-syncing]').text()).toContain('Syncing…')
    expect(w.get('[data-testid=sync-now]').attributes('disabled')).toBeDefined()
  })

  it('asks for a sync', async () => {
    b.syncNow.mockResolvedValue(undefined)
    const w = await bar({ online: true })
    await w.get('[data-testid=sync-now]').trigger('click')
    await flushPromises()
    expect(b.syncNow).toHaveBeenCalledOnce()
  })

  it('switches the language at once and saves the choice', async () => {
    const w = await bar({ online: false, last_error: 'unreachable' }, 'en')
    expect(w.get('[data-testid=status-online]').text()).toBe('Offline')
    await w.get('[data-testid=lang-fr]').trigger('click')
    await flushPromises()
    expect(w.get('[data-testid=status-online]').text()).toBe('Hors ligne')
    expect(w.get('[data-testid=sync-now]').text()).toBe('Synchroniser')
    expect(b.setLanguage).toHaveBeenCalledWith('fr')
    await w.get('[data-testid=lang-es]').trigger('click')
    await flushPromises()
    expect(w.get('[data-testid=status-online]').text()).toBe('Sin conexión')
    expect(i18n.global.locale.value).toBe('es')
  })

  it('shows the user and logs out', async () => {
    const m = await mountScreen(StatusBar)
    const session = useSessionStore()
    session.state = { ...session.state, logged_in: true, name: 'Maria Coop', username: 'maria' }
    await flushPromises()
    expect(m.wrapper.get('[data-testid=status-user]').text()).toBe('Maria Coop')
    await m.wrapper.get('[data-testid=logout]').trigger('click')
    expect(m.wrapper.findComponent(StatusBar).emitted('logout')).toHaveLength(1)
  })
})

describe('NC list', () => {
  const rows = () => [
    ncRow({ id: 'NC-1-2019', finding: 'Premium not explained to workers', criterion_number: '2.2.0.03' }),
    ncRow(
      { id: 'NC-2-2019', finding: 'No pesticide records', criterion_number: '4.1.0.01', stage: 'evidence_requested', ca_status: 'accepted', evidence_status: 'requested' },
      { days_left: -3, action: 'evidence', unread: 2 },
    ),
    ncRow({ id: 'NC-3-2018', finding: 'Closed long ago', stage: 'closed', ca_status: 'accepted' }, { action: '', days_left: null }),
    ncRow({ id: 'NC-4-2019', finding: 'Wages below minimum', stage: 'ca_submitted', ca_status: 'submitted' }, { action: '', due: '', days_left: null }),
  ]
  const shownIds = (w: { findAll: (s: string) => { attributes: (a: string) => string | undefined }[] }) =>
    w.findAll('[data-testid=nc-row]').map((r) => r.attributes('data-nc-id'))

  it('shows the portal filters with their counts', async () => {
    b.ncs.mockResolvedValue(rows())
    b.dashboard.mockResolvedValue(dashboard({ ca_count: 1, evidence_count: 2, sent_count: 1 }))
    const { wrapper } = await mountScreen(NcListView, { path: '/ncs' })
    expect(wrapper.get('[data-testid=filter-ca]').text()).toBe('a) CAs to submit (1)')
    expect(wrapper.get('[data-testid=filter-evidence]').text()).toBe('b) Evidence to submit (2)')
    expect(wrapper.get('[data-testid=filter-sent]').text()).toBe('Sent — awaiting evaluation (1)')
    expect(wrapper.get('[data-testid=filter-open]').text()).toBe('All open')
    expect(wrapper.get('[data-testid=filter-history]').text()).toBe('History')
    expect(b.ncs).toHaveBeenCalledOnce()
    expect(b.ncs).toHaveBeenCalledWith('all')
    expect(shownIds(wrapper)).toEqual(['NC-1-2019'])
  })

  it('gives what was sent its place, with a word on what happens next, in French too', async () => {
    b.ncs.mockResolvedValue(rows())
    b.dashboard.mockResolvedValue(dashboard({ sent_count: 1 }))
    const { wrapper } = await mountScreen(NcListView, { path: '/ncs', lang: 'fr' })
    expect(wrapper.get('[data-testid=filter-sent]').text()).toBe("Envoyées — en attente d'évaluation (1)")
    await wrapper.get('[data-testid=filter-sent]').trigger('click')
    await flushPromises()
    expect(shownIds(wrapper)).toEqual(['NC-4-2019'])
    expect(wrapper.get('[data-testid=nc-intro]').text()).toContain("n'a pas encore évalué")
  })

  it("shows the chosen filter's rows from the NCs loaded, without asking the backend again", async () => {
    b.ncs.mockResolvedValue(rows())
    const { wrapper } = await mountScreen(NcListView, { path: '/ncs' })
    const cases: [string, string[]][] = [
      ['history', ['NC-3-2018']],
      ['evidence', ['NC-2-2019']],
      ['sent', ['NC-4-2019']],
      ['open', ['NC-1-2019', 'NC-2-2019', 'NC-4-2019']],
      ['ca', ['NC-1-2019']],
    ]
    for (const [filter, want] of cases) {
      await wrapper.get(`[data-testid=filter-${filter}]`).trigger('click')
      await flushPromises()
      expect(wrapper.get(`[data-testid=filter-${filter}]`).attributes('aria-pressed')).toBe('true')
      expect(shownIds(wrapper), filter).toEqual(want)
    }
    expect(b.ncs).toHaveBeenCalledOnce()
  })

  it('renders the columns of the portal in a virtual table, and filters by search', async () => {
    b.ncs.mockResolvedValue(rows())
    const { wrapper } = await mountScreen(NcListView, { path: '/ncs' })
    expect(wrapper.findComponent(VirtualTable).exists()).toBe(true)
    const headers = wrapper.findAll('[role=columnheader]').map((th) => th.text())
    expect(headers).toEqual([
      'Ready to send',
      'Audit no., audit date, service',
      'CC no., compliance criterion',
      'Non-conformity',
      'Received',
      'Due',
      'CA status',
      'Evidence status',
    ])
    await wrapper.get('[data-testid=filter-open]').trigger('click')
    expect(shownIds(wrapper)).toEqual(['NC-1-2019', 'NC-2-2019', 'NC-4-2019'])

    await wrapper.get('[data-testid=nc-search] ').setValue('PESTICIDE')
    await flushPromises()
    expect(shownIds(wrapper)).toEqual(['NC-2-2019'])
    expect(wrapper.text()).toContain('(1)')
    await wrapper.get('[data-testid=nc-search] ').setValue('nothing like this')
    await flushPromises()
    expect(shownIds(wrapper)).toEqual([])
    expect(wrapper.get('[data-testid=nc-empty]').text()).toBeTruthy()
  })

  it('keeps only the rows in view in the DOM, however many NCs there are', async () => {
    const many = Array.from({ length: 5000 }, (_, i) => ncRow({ id: `NC-${100000 + i}-2019` }))
    b.ncs.mockResolvedValue(many)
    const { wrapper } = await mountScreen(NcListView, { path: '/ncs' })
    expect(wrapper.text()).toContain('(5000)')
    const shown = wrapper.findAll('[data-testid=nc-row]')
    expect(shown.length).toBeGreaterThan(0)
    expect(shown.length).toBeLessThan(50)
    expect(shown[0].attributes('data-nc-id')).toBe('NC-100000-2019')
  })

  it('renders row cells: dates dd/mm/yyyy, days overdue in red, statuses', async () => {
    b.ncs.mockResolvedValue(rows())
    const { wrapper } = await mountScreen(NcListView, { path: '/ncs' })
    await wrapper.get('[data-testid=filter-evidence]').trigger('click')
    const row = wrapper.get('[data-testid=nc-row][data-nc-id=NC-2-2019]')
    const cell = (k: string) => row.get(`[data-col-key=${k}]`)
    expect(cell('ready').text()).toBe('')
    expect(cell('audit').text()).toBe('AO-3836915/10/2018 Producteur - HL - Plantations Multiples')
    expect(cell('criterion').text()).toContain('4.1.0.01')
    expect(cell('finding').text()).toContain('NC-2-2019')
    expect(cell('finding').text()).toContain('No pesticide records')
    expect(cell('finding').get('.unread').attributes('title')).toBe('2 unread messages')
    expect(cell('received').text()).toBe('18/12/2018')
    expect(cell('due').text()).toBe('01/06/20193 days overdue')
    expect(cell('due').find('.overdue').exists()).toBe(true)
    expect(cell('ca_status').text()).toBe('Satisfied')
    expect(cell('evidence_status').text()).toBe('Requested')
  })

  it('shows the cells in the language chosen, and again after it changes', async () => {
    b.ncs.mockResolvedValue(rows())
    const { wrapper } = await mountScreen(NcListView, { path: '/ncs', lang: 'fr' })
    await wrapper.get('[data-testid=filter-evidence]').trigger('click')
    const due = () => wrapper.get('[data-nc-id=NC-2-2019] [data-col-key=due]').text()
    expect(due()).toContain('3 jours de retard')
    i18n.global.locale.value = 'es'
    await flushPromises()
    expect(due()).not.toContain('jours')
  })

  it('opens the NC detail on a row click, or with Enter', async () => {
    b.ncs.mockResolvedValue(rows())
    const { wrapper, router } = await mountScreen(NcListView, { path: '/ncs' })
    await wrapper.get('[data-testid=nc-row][data-nc-id=NC-1-2019]').trigger('click')
    await flushPromises()
    expect(router.currentRoute.value.fullPath).toBe('/ncs/NC-1-2019')

    await router.push('/ncs')
    await flushPromises()
    await wrapper.get('[data-testid=nc-row][data-nc-id=NC-1-2019]').trigger('keydown', { key: 'Enter' })
    await flushPromises()
    expect(router.currentRoute.value.fullPath).toBe('/ncs/NC-1-2019')
  })
})

describe('NC detail: what is expected now', () => {
  const cases: [string, Partial<ReturnType<typeof ncRow>['nc']>, Partial<ReturnType<typeof ncRow>>, string, string][] = [
    ['ca_requested', {}, { days_left: 12 }, 'CA requested — due 01/06/2019, 12 days left', 'Your analyst asked for a corrective measure'],
    ['ca_requested', {}, { days_left: -5 }, 'CA requested — was due 01/06/2019, 5 days overdue', 'Your analyst asked'],
    ['ca_requested', {}, { days_left: 1 }, 'CA requested — due 01/06/2019, 1 day left', 'Your analyst asked'],
    ['ca_submitted', { ca_status: 'submitted' }, { days_left: null }, 'Sent — waiting for evaluation', 'Cannot be changed now'],
    ['ca_returned', { ca_status: 'returned', ca: { text: 'We will train', analyst_comment: 'Say when' } }, { days_left: 3 }, 'Returned by the analyst: see comment — due 01/06/2019, 3 days left', 'correct it and send it again'],
    ['evidence_requested', { ca_status: 'accepted', evidence_status: 'requested', evidence_due_date: '2026-12-20' }, { due: '2026-12-20', days_left: 0 }, 'Corrective measure accepted — evidence requested — due 20/12/2026, due today', 'add the objective evidence'],
    ['evidence_submitted', { ca_status: 'accepted', evidence_status: 'submitted' }, { days_left: null }, 'Evidence sent — waiting for evaluation', 'Cannot be changed now'],
    ['evidence_returned', { ca_status: 'accepted', evidence_status: 'returned' }, { days_left: 2 }, 'Evidence returned by the analyst: see comment — due 01/06/2019, 2 days left', 'send it again'],
    ['closed', { ca_status: 'accepted', evidence_status: 'accepted' }, { days_left: null }, 'Closed', 'this non-conformity is closed'],
  ]

  it.each(cases)('%s %#', async (stage, nc, row, headline, edit) => {
    const r = ncRow({ id: 'NC-167140-2019', stage, ...nc }, row)
    b.nc.mockResolvedValue(detail(r))
    const { wrapper } = await mountScreen(NcDetailView, { props: { id: 'NC-167140-2019' }, path: '/ncs/NC-167140-2019' })
    expect(b.nc).toHaveBeenCalledWith('NC-167140-2019')
    expect(wrapper.get('[data-testid=nc-title]').text()).toBe('Non-conformity NC-167140-2019')
    expect(wrapper.get('[data-testid=nc-expect-headline]').text()).toBe(headline)
    expect(wrapper.get('[data-testid=nc-expect-edit]').text()).toContain(edit)
  })

  it('says it in French too', async () => {
    const r = ncRow({ id: 'NC-9', stage: 'ca_requested' }, { days_left: 12 })
    b.nc.mockResolvedValue(detail(r))
    const { wrapper } = await mountScreen(NcDetailView, { props: { id: 'NC-9' }, lang: 'fr', path: '/ncs/NC-9' })
    expect(wrapper.get('[data-testid=nc-title]').text()).toBe('Non-conformité NC-9')
    expect(wrapper.get('[data-testid=nc-expect-headline]').text()).toBe('MC demandée — échéance le 01/06/2019, 12 jours restants')
  })

  it('says an accepted corrective measure is good news, due by the evidence deadline', async () => {
    // The CA was due in 2019; the analyst accepted it and set the evidence deadline.
    const r = ncRow(
      {
        id: 'NC-10',
        stage: 'evidence_requested',
        ca_status: 'accepted',
        evidence_status: 'requested',
        due_date: '2019-06-01',
        evidence_due_date: '2026-12-20',
        ca: { text: 'Accord signé', analyst_comment: 'Satisfait.' },
      },
      { action: 'evidence', due: '2026-12-20', days_left: 15 },
    )
    b.nc.mockResolvedValue(detail(r))
    const { wrapper } = await mountScreen(NcDetailView, { props: { id: 'NC-10' }, lang: 'fr', path: '/ncs/NC-10' })
    const head = wrapper.get('[data-testid=nc-expect-headline]').text()
    expect(head).toBe('Mesure corrective acceptée — preuves matérielles demandées — échéance le 20/12/2026, 15 jours restants')
    expect(head).not.toContain('2019')
    expect(wrapper.get('[data-testid=nc-expect]').attributes('data-tone')).toBe('success')
    const comment = wrapper.get('[data-testid=nc-analyst-comment]')
    expect(comment.classes()).toContain('comment-good')
    expect(comment.classes()).not.toContain('comment-returned')
    expect(wrapper.get('[data-testid=nc-evidence-due]').text()).toContain('20/12/2026')
  })

  it('reminds, never alarms, when the evidence deadline has passed', async () => {
    const r = ncRow(
      { id: 'NC-11', stage: 'evidence_requested', ca_status: 'accepted', evidence_status: 'requested', evidence_due_date: '2026-11-01' },
      { action: 'evidence', due: '2026-11-01', days_left: -4 },
    )
    b.nc.mockResolvedValue(detail(r))
    const { wrapper } = await mountScreen(NcDetailView, { props: { id: 'NC-11' }, path: '/ncs/NC-11' })
    expect(wrapper.get('[data-testid=nc-expect]').attributes('data-tone')).toBe('warning')
  })

  it('shows the analyst comment of a returned CA', async () => {
    const r = ncRow({ id: 'NC-7', stage: 'ca_returned', ca_status: 'returned', ca: { text: 'Train workers', analyst_comment: 'Add a date' } })
    b.nc.mockResolvedValue(detail(r))
    const { wrapper } = await mountScreen(NcDetailView, { props: { id: 'NC-7' }, path: '/ncs/NC-7' })
    expect(wrapper.get('[data-testid=nc-ca-text]').text()).toBe('Train workers')
    expect(wrapper.get('[data-testid=nc-analyst-comment]').text()).toBe('Add a date')
  })

  it('marks the thread read when the Communication tab opens, and says when it is empty', async () => {
    const r = ncRow({ id: 'NC-8' }, { unread: 1 })
    b.nc.mockResolvedValue(detail(r))
    const { wrapper } = await mountScreen(NcDetailView, { props: { id: 'NC-8' }, path: '/ncs/NC-8' })
    expect(b.markRead).not.toHaveBeenCalled()
    await wrapper.get('[data-testid=tab-communication]').trigger('click')
    await flushPromises()
    expect(b.markRead).toHaveBeenCalledWith('NC-8')
    expect(wrapper.get('[data-testid=nc-thread-empty]').text()).toBe('No information available.')
  })

  it('shows the error of a failed load in plain words', async () => {
    b.nc.mockRejectedValue('not_found')
    const { wrapper } = await mountScreen(NcDetailView, { props: { id: 'NC-0' }, path: '/ncs/NC-0' })
    expect(wrapper.get('[data-testid=load-error]').text()).toBe('This item was not found.')
  })
})

describe('FileActions', () => {
  it('opens and saves a file through the files store, and says why it cannot', async () => {
    b.openFile.mockRejectedValue('not_cached')
    b.saveFileAs.mockResolvedValue(undefined)
    const { wrapper } = await mountScreen(FileActions, { props: { sha256: 'abc', cached: false } })
    await wrapper.get('[data-testid=file-open]').trigger('click')
    await flushPromises()
    expect(b.openFile).toHaveBeenCalledWith('abc')
    expect(document.querySelector('.n-message')?.textContent).toContain('This file has not been downloaded yet.')
    await wrapper.get('[data-testid=file-save]').trigger('click')
    await flushPromises()
    expect(b.saveFileAs).toHaveBeenCalledWith('abc')
    expect(document.querySelectorAll('.n-message')).toHaveLength(1)
  })
})

describe('Certification standing', () => {
  const certification = {
    id: '3542',
    status: 'certified',
    standard: 'Hired Labour',
    scope: ['Thé'],
    cycle_start: '2016-10-15',
    cycle_end: '2019-10-14',
    last_audit: '2016-10-15',
    next_audit_due: '2017-10-15',
    certificate_no: 'FLO-3542-2016',
  }

  it('never shows an expired certificate as plain "Certifié"', async () => {
    b.dashboard.mockResolvedValue(
      dashboard({ certification, standing: { status: 'expired', since: '2019-10-15' } }),
    )
    const { wrapper } = await mountScreen(DashboardView, { lang: 'fr', path: '/' })
    const tag = wrapper.get('[data-testid=dash-certification] [data-testid=standing]')
    expect(tag.attributes('data-status')).toBe('expired')
    expect(tag.text()).toContain('Certificat expiré')
    expect(tag.get('[data-testid=standing-since]').text()).toBe('depuis le 15/10/2019')
    expect(tag.text()).not.toContain('Certifié')
  })

  it('says when the audit is overdue, in Spanish too', async () => {
    b.dashboard.mockResolvedValue(
      dashboard({ certification, standing: { status: 'audit_overdue', since: '2017-10-15' } }),
    )
    const { wrapper } = await mountScreen(DashboardView, { lang: 'es', path: '/' })
    const tag = wrapper.get('[data-testid=standing]')
    expect(tag.text()).toContain('Auditoría atrasada')
    expect(tag.get('[data-testid=standing-since]').text()).toBe('desde el 15/10/2017')
  })

  it('shows the server status as it came when the dates agree', async () => {
    b.dashboard.mockResolvedValue(dashboard({ certification, standing: { status: 'certified', since: '' } }))
    const { wrapper } = await mountScreen(DashboardView, { lang: 'fr', path: '/' })
    expect(wrapper.get('[data-testid=standing]').text()).toBe('Certifié')
  })
})
