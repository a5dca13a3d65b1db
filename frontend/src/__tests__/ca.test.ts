// Corrective measures offline: the editor and its autosave, the manual's two buttons,
// conflicts, queued and closed CAs, Send with its confirmation, messages, notices.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { flushPromises } from '@vue/test-utils'
import * as backend from '../backend'
import NcDetailView from '../views/NcDetailView.vue'
import NcListView from '../views/NcListView.vue'
import StatusBar from '../components/shell/StatusBar.vue'
import App from '../App.vue'
import { AUTOSAVE_MS } from '../composables/caEditor'
import { useSessionStore } from '../stores/session'
import { dashboard, detail, localCA, ncRow, syncStatus } from './fixtures'
import { emit, handlers } from './backendMock'
import { mountScreen } from './mount'
import type { NCDetail } from '../types'

vi.mock('../backend', async () => (await import('./backendMock')).default)
const b = vi.mocked(backend)

const ID = 'NC-167140-2019'

beforeEach(() => {
  vi.clearAllMocks()
  handlers.clear()
  document.body.innerHTML = ''
  b.setLanguage.mockResolvedValue(undefined)
  b.syncStatus.mockResolvedValue(syncStatus())
  b.dashboard.mockResolvedValue(dashboard())
  b.markRead.mockResolvedValue(undefined)
  b.markSeen.mockResolvedValue(undefined)
  b.outboxList.mockResolvedValue([])
  b.caAutosave.mockImplementation(async (id: string, text: string) => localCA({ nc_id: id, text }))
  b.caSaveDraft.mockImplementation(async (id: string, text: string) => localCA({ nc_id: id, text, draft: 'queued' }))
  b.caSetReady.mockImplementation(async (id: string, text: string, ready: boolean) => localCA({ nc_id: id, text, ready }))
  b.caResolve.mockImplementation(async (id: string, text: string) => localCA({ nc_id: id, text }))
})

afterEach(() => {
  vi.useRealTimers()
})

function ncDetail(over: Partial<NCDetail> = {}, stage = 'ca_requested', row: Parameters<typeof ncRow>[1] = {}) {
  return detail(ncRow({ id: ID, stage }, row), over)
}

async function open(d: NCDetail, lang: 'en' | 'fr' = 'en') {
  b.nc.mockResolvedValue(d)
  return mountScreen(NcDetailView, { props: { id: d.row.nc.id }, path: `/ncs/${d.row.nc.id}`, lang })
}

const textarea = (w: Awaited<ReturnType<typeof open>>['wrapper']) => w.get<HTMLTextAreaElement>('[data-testid=ca-text]')

describe('CA editor: autosave', () => {
  it('starts from the local text, else the shared draft', async () => {
    let { wrapper } = await open(ncDetail({ local: localCA({ nc_id: ID, text: 'Mine' }), shared_draft: { nc_id: ID, text: 'Org draft', revision: 2, updated_by: 'x', updated_at: '' } }))
    expect(textarea(wrapper).element.value).toBe('Mine')
    wrapper.unmount()
    ;({ wrapper } = await open(ncDetail({ shared_draft: { nc_id: ID, text: 'Org draft', revision: 2, updated_by: 'x', updated_at: '' } })))
    expect(textarea(wrapper).element.value).toBe('Org draft')
  })

  it('saves on this computer once typing pauses, not at every keystroke', async () => {
    const { wrapper } = await open(ncDetail())
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] })
    await textarea(wrapper).setValue('Train')
    vi.advanceTimersByTime(AUTOSAVE_MS - 100)
    await textarea(wrapper).setValue('Train the workers')
    vi.advanceTimersByTime(AUTOSAVE_MS - 100)
    expect(b.caAutosave).not.toHaveBeenCalled()
    vi.advanceTimersByTime(100)
    await flushPromises()
    expect(b.caAutosave).toHaveBeenCalledTimes(1)
    expect(b.caAutosave).toHaveBeenCalledWith(ID, 'Train the workers')
    expect(wrapper.get('[data-testid=ca-saved-state]').text()).toBe('Saved on this computer')
  })

  it('saves at once when the field loses focus, and when the screen closes', async () => {
    const { wrapper } = await open(ncDetail())
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] })
    await textarea(wrapper).setValue('Premium committee')
    await textarea(wrapper).trigger('blur')
    await flushPromises()
    expect(b.caAutosave).toHaveBeenCalledWith(ID, 'Premium committee')
    vi.advanceTimersByTime(AUTOSAVE_MS * 2)
    await flushPromises()
    expect(b.caAutosave).toHaveBeenCalledTimes(1) // the pending timer was dropped

    await textarea(wrapper).setValue('Premium committee, monthly')
    wrapper.unmount()
    await flushPromises()
    expect(b.caAutosave).toHaveBeenLastCalledWith(ID, 'Premium committee, monthly')
  })

  it('keeps the text and says why when a save fails', async () => {
    b.caAutosave.mockRejectedValueOnce('disk_full')
    const { wrapper } = await open(ncDetail())
    await textarea(wrapper).setValue('Something')
    await textarea(wrapper).trigger('blur')
    await flushPromises()
    expect(wrapper.get('[data-testid=ca-error]').text()).toContain('The disk is full')
    expect(textarea(wrapper).element.value).toBe('Something')
    await textarea(wrapper).trigger('blur') // retried
    await flushPromises()
    expect(b.caAutosave).toHaveBeenCalledTimes(2)
  })

  it.each([
    ['local', 'Saved on this computer'],
    ['queued', 'Draft queued — will be shared when online'],
    ['shared', 'Draft shared with your organisation'],
  ])('says where the text is: %s', async (draft, words) => {
    const { wrapper } = await open(ncDetail({ local: localCA({ nc_id: ID, text: 'T', draft }) }))
    expect(wrapper.get('[data-testid=ca-saved-state]').text()).toBe(words)
  })
})

describe('CA editor: the manual buttons', () => {
  it('saves as draft with the text typed', async () => {
    const { wrapper } = await open(ncDetail())
    await textarea(wrapper).setValue('Draft text')
    await wrapper.get('[data-testid=ca-save-draft]').trigger('click')
    await flushPromises()
    expect(b.caSaveDraft).toHaveBeenCalledWith(ID, 'Draft text')
    expect(wrapper.get('[data-testid=ca-save-draft]').text()).toBe('Save as draft')
  })

  it('marks ready with the text, and unmarks on a second click', async () => {
    b.nc.mockResolvedValue(ncDetail())
    const { wrapper } = await open(ncDetail())
    expect(wrapper.get('[data-testid=ca-ready]').text()).toBe('Ready to send')
    await textarea(wrapper).setValue('Final text')
    b.nc.mockResolvedValue(ncDetail({ local: localCA({ nc_id: ID, text: 'Final text', ready: true }) }, 'ca_requested', { ready: true }))
    await wrapper.get('[data-testid=ca-ready]').trigger('click')
    await flushPromises()
    expect(b.caSetReady).toHaveBeenCalledWith(ID, 'Final text', true)
    expect(wrapper.get('[data-testid=ca-ready]').text()).toBe('✓ Ready to send')
    expect(wrapper.get('[data-testid=ca-ready-hint]').text()).toBe('Ready to send — will go with Send')
    expect(wrapper.get('[data-testid=nc-expect-headline]').text()).toContain('Ready to send (✓) — press Send in the NC list')

    b.nc.mockResolvedValue(ncDetail({ local: localCA({ nc_id: ID, text: 'Final text' }) }))
    await wrapper.get('[data-testid=ca-ready]').trigger('click')
    await flushPromises()
    expect(b.caSetReady).toHaveBeenLastCalledWith(ID, 'Final text', false)
    expect(wrapper.get('[data-testid=ca-ready]').text()).toBe('Ready to send')
  })

  it('uses the manual words in French', async () => {
    const { wrapper } = await open(ncDetail(), 'fr')
    expect(wrapper.get('[data-testid=ca-ready]').text()).toBe('Prête à envoyer')
    expect(wrapper.get('[data-testid=ca-save-draft]').text()).toBe('Sauvegarder comme brouillon')
  })

  it('says in plain words why an empty CA cannot be marked ready', async () => {
    b.caSetReady.mockRejectedValueOnce('empty_text')
    const { wrapper } = await open(ncDetail())
    await wrapper.get('[data-testid=ca-ready]').trigger('click')
    await flushPromises()
    expect(wrapper.get('[data-testid=ca-error]').text()).toBe('The corrective measure is empty: write it first.')
  })

  it('shows the analyst comment and the text sent before, beside the editor, when returned', async () => {
    const d = detail(ncRow({ id: ID, stage: 'ca_returned', ca_status: 'returned', ca: { text: 'Old text', analyst_comment: 'Add a date' } }))
    const { wrapper } = await open(d)
    expect(wrapper.get('[data-testid=ca-previous] [data-testid=nc-ca-text]').text()).toBe('Old text')
    expect(wrapper.get('[data-testid=nc-analyst-comment]').text()).toBe('Add a date')
    expect(textarea(wrapper).element.readOnly).toBe(false)
    // The correction starts from the text sent, not from an empty box.
    expect(textarea(wrapper).element.value).toBe('Old text')
  })

  it('lists the CAs sent with the analyst decisions', async () => {
    const d = detail(
      ncRow({
        id: ID,
        stage: 'ca_returned',
        ca_history: [{ text: 'First try', submitted_by: 'Marie', submitted_at: '2019-05-02T10:00:00Z', decision: 'returned', comment: 'Too vague', decided_at: '2019-05-10T10:00:00Z' }],
      }),
    )
    const { wrapper } = await open(d)
    const items = wrapper.findAll('[data-testid=ca-history-item]')
    expect(items).toHaveLength(1)
    expect(items[0].text()).toContain('First try')
    expect(items[0].text()).toContain('by Marie')
    expect(items[0].text()).toContain('02/05/2019')
    expect(items[0].get('[data-testid=ca-history-decision]').text()).toBe('Returned')
    expect(items[0].get('[data-testid=ca-history-comment]').text()).toBe('Too vague')
  })
})

describe('CA editor: what happened elsewhere', () => {
  const conflict = () =>
    ncDetail({
      local: localCA({ nc_id: ID, text: 'My version', notice: 'draft_changed', other_text: 'Their version', other_by: 'Paul' }),
    })

  it('shows both texts and keeps mine', async () => {
    const { wrapper } = await open(conflict())
    expect(wrapper.get('[data-testid=ca-notice]').text()).toContain('another computer')
    expect(wrapper.get('[data-testid=ca-conflict-mine]').text()).toBe('My version')
    expect(wrapper.get('[data-testid=ca-conflict-theirs]').text()).toBe('Their version')
    expect(wrapper.get('[data-testid=ca-conflict-by]').text()).toContain('Paul')
    await wrapper.get('[data-testid=ca-keep-mine]').trigger('click')
    await flushPromises()
    expect(b.caResolve).toHaveBeenCalledWith(ID, 'My version')
  })

  it('takes theirs', async () => {
    const { wrapper } = await open(conflict())
    await wrapper.get('[data-testid=ca-take-theirs]').trigger('click')
    await flushPromises()
    expect(b.caResolve).toHaveBeenCalledWith(ID, 'Their version')
  })

  it('uses an edited text', async () => {
    const { wrapper } = await open(conflict())
    await textarea(wrapper).setValue('My version, and theirs')
    await wrapper.get('[data-testid=ca-use-text]').trigger('click')
    await flushPromises()
    expect(b.caResolve).toHaveBeenCalledWith(ID, 'My version, and theirs')
    expect(wrapper.get('[data-testid=ca-conflict-mine]').text()).toBe('My version') // unchanged by typing
  })

  it('keeps the text read-only when the NC was closed', async () => {
    const d = ncDetail({ editable: false, local: localCA({ nc_id: ID, text: 'Kept text', notice: 'nc_closed' }) }, 'closed')
    const { wrapper } = await open(d)
    expect(wrapper.get('[data-testid=ca-notice]').text()).toContain('FLOCERT closed this non-conformity')
    expect(textarea(wrapper).element.value).toBe('Kept text')
    expect(textarea(wrapper).element.readOnly).toBe(true)
    expect(wrapper.find('[data-testid=ca-ready]').exists()).toBe(false)
    expect(wrapper.get('[data-testid=ca-closed]').text()).toContain('was closed')
  })

  it('shows a queued CA read-only and takes it back', async () => {
    const d = ncDetail({ local: localCA({ nc_id: ID, text: 'Queued text', ready: true, queued: true }) }, 'ca_requested', { ready: true, queued: true })
    b.syncStatus.mockResolvedValue(syncStatus({ online: false }))
    const { wrapper } = await open(d)
    expect(wrapper.get('[data-testid=ca-queued]').text()).toContain('Queued — goes to FLOCERT with the next sync')
    expect(textarea(wrapper).element.readOnly).toBe(true)
    expect(wrapper.find('[data-testid=ca-ready]').exists()).toBe(false)
    expect(wrapper.get('[data-testid=nc-expect-headline]').text()).toBe('Queued — will be sent when the connection returns')
    await wrapper.get('[data-testid=ca-take-back]').trigger('click')
    await flushPromises()
    expect(b.caSetReady).toHaveBeenCalledWith(ID, 'Queued text', false)
  })

  it('explains a CA that came back after the analyst changed the NC', async () => {
    const { wrapper } = await open(ncDetail({ local: localCA({ nc_id: ID, text: 'T', notice: 'nc_changed' }) }))
    expect(wrapper.get('[data-testid=ca-notice]').text()).toContain('The analyst changed this non-conformity')
  })

  it('marks the NC seen when it opens, then reloads the counts', async () => {
    await open(ncDetail())
    expect(b.markSeen).toHaveBeenCalledWith(ID)
    expect(b.dashboard).toHaveBeenCalled()
    expect(b.markSeen.mock.invocationCallOrder[0]).toBeLessThan(b.dashboard.mock.invocationCallOrder.at(-1)!)
  })
})

describe('Communication', () => {
  it('shows messages waiting to be sent and refused ones, and sends a new one offline', async () => {
    const d = ncDetail({
      pending: [
        { seq: 4, text: 'Are photos enough?', created_at: '2019-05-20T10:00:00Z', rejected: false, code: '' },
        { seq: 5, text: 'Late message', created_at: '2019-05-20T10:00:00Z', rejected: true, code: 'nc_closed' },
      ],
    })
    const { wrapper } = await open(d)
    await wrapper.get('[data-testid=tab-communication]').trigger('click')
    await flushPromises()
    const pending = wrapper.findAll('[data-testid=nc-message-pending]')
    expect(pending).toHaveLength(2)
    expect(pending[0].text()).toContain('Waiting to be sent')
    expect(pending[0].text()).toContain('Are photos enough?')
    expect(pending[1].text()).toContain('Refused: This non-conformity was closed.')

    b.outboxDismiss.mockResolvedValue(undefined)
    await pending[1].get('[data-testid=nc-message-dismiss]').trigger('click')
    await flushPromises()
    expect(b.outboxDismiss).toHaveBeenCalledWith(5)

    b.outboxMessage.mockResolvedValue(undefined)
    const sent = ncDetail({ pending: [{ seq: 6, text: 'Hello', created_at: '', rejected: false, code: '' }] })
    b.nc.mockResolvedValue(sent)
    await wrapper.get('[data-testid=message-text]').setValue('Hello')
    await wrapper.get('[data-testid=message-send]').trigger('click')
    await flushPromises()
    expect(b.outboxMessage).toHaveBeenCalledWith(ID, 'Hello')
    expect(wrapper.get<HTMLTextAreaElement>('[data-testid=message-text]').element.value).toBe('')
    expect(wrapper.findAll('[data-testid=nc-message-pending]').map((p) => p.text())).toEqual([
      expect.stringContaining('Hello'),
    ])
  })
})

describe('NC list: ✓ and Send', () => {
  const rows = (ready: boolean) => [
    ncRow({ id: 'NC-1-2019' }, { ready, updates: 2 }),
    ncRow({ id: 'NC-2-2019' }),
    ncRow({ id: 'NC-3-2019' }, { queued: true }),
  ]

  const modal = () => document.body.querySelector('.n-modal') as HTMLElement | null
  const byTestId = (id: string) => document.body.querySelector(`[data-testid=${id}]`) as HTMLElement | null

  it('offers no Send while nothing is marked ready', async () => {
    b.ncs.mockResolvedValue(rows(false))
    b.dashboard.mockResolvedValue(dashboard({ ready: 0 }))
    const { wrapper } = await mountScreen(NcListView, { path: '/ncs' })
    expect(wrapper.find('[data-testid=send-button]').exists()).toBe(false)
    expect(wrapper.get('[data-testid=send-info]').text()).toContain('NCs not marked with a ✓ will not be sent!')
  })

  it('shows the ✓, the queued clock and the updates badge in the rows', async () => {
    b.ncs.mockResolvedValue(rows(true))
    const { wrapper } = await mountScreen(NcListView, { path: '/ncs' })
    const row = (id: string) => wrapper.get(`[data-testid=nc-row][data-nc-id=${id}]`)
    expect(row('NC-1-2019').get('[data-col-key=ready] [data-testid=nc-ready-mark]').text()).toBe('✓')
    expect(row('NC-1-2019').get('[data-col-key=finding] [data-testid=nc-updates]').text()).toContain('2')
    expect(row('NC-2-2019').find('[data-testid=nc-ready-mark]').exists()).toBe(false)
    expect(row('NC-3-2019').get('[data-testid=nc-queued-mark]').text()).toContain('Queued')
  })

  it.each([
    [true, 'Sent: 1 corrective measure'],
    [false, 'Queued: they will be sent when the connection returns'],
  ])('asks for confirmation, lists what will not go, sends (online: %s)', async (online, words) => {
    b.ncs.mockResolvedValue(rows(true))
    b.dashboard.mockResolvedValue(dashboard({ ready: 1 }))
    b.caSendPreview.mockResolvedValue({ ready: ['NC-1-2019'], not_ready: ['NC-2-2019'], no_files: null, uploading: 0 })
    b.caSend.mockResolvedValue({ queued: ['NC-1-2019'], not_ready: ['NC-2-2019'], online })
    const { wrapper } = await mountScreen(NcListView, { path: '/ncs' })
    expect(b.caSend).not.toHaveBeenCalled()
    await wrapper.get('[data-testid=send-button]').trigger('click')
    await flushPromises()
    expect(modal()?.textContent).toContain(
      'By confirming, the corrective measures entered will be sent to FLOCERT for evaluation. Do you want to continue?',
    )
    expect(byTestId('send-ready')?.textContent).toContain('NC-1-2019')
    expect(byTestId('send-not-ready')?.textContent).toContain('These NCs are not marked ready and will NOT be sent: NC-2-2019')
    expect(b.caSend).not.toHaveBeenCalled()
    byTestId('send-confirm')!.click()
    await flushPromises()
    expect(b.caSend).toHaveBeenCalledOnce()
    expect(wrapper.get('[data-testid=send-result]').text()).toBe(words)
    expect(b.ncs).toHaveBeenCalledTimes(2) // the list reloaded: ✓ became queued
  })

  it('uses the manual wording in French', async () => {
    b.ncs.mockResolvedValue(rows(true))
    b.caSendPreview.mockResolvedValue({ ready: ['NC-1-2019'], not_ready: [], no_files: null, uploading: 0 })
    const { wrapper } = await mountScreen(NcListView, { path: '/ncs', lang: 'fr' })
    expect(wrapper.get('[data-testid=send-button]').text()).toBe('Envoyer')
    await wrapper.get('[data-testid=send-button]').trigger('click')
    await flushPromises()
    expect(modal()?.textContent).toContain(
      'En validant cette action, la mesure corrective entrée sera envoyée à FLOCERT pour évaluation. Voulez-vous poursuivre ?',
    )
    expect(byTestId('send-not-ready')).toBeNull()
  })
})

describe('status bar: entries the server refused', () => {
  it('shows "not sent" with the reasons, and dismisses one', async () => {
    b.outboxList.mockResolvedValue([
      { seq: 9, kind: 'ca.submit', nc_id: ID, text: 'My CA', created_at: '', state: 'rejected', code: 'not_awaiting_ca' },
      { seq: 10, kind: 'message', nc_id: ID, text: 'Hi', created_at: '', state: 'pending', code: '' },
    ])
    b.outboxDismiss.mockResolvedValue(undefined)
    const { wrapper } = await mountScreen(StatusBar)
    useSessionStore().state.logged_in = true
    const { useOutboxStore } = await import('../stores/outbox')
    await useOutboxStore().load()
    await flushPromises()
    const badge = wrapper.get('[data-testid=status-rejected]')
    expect(badge.text()).toContain('1 not sent')
    await badge.trigger('click')
    await flushPromises()
    const item = document.body.querySelector('[data-testid=status-rejected-item]') as HTMLElement
    expect(item.textContent).toContain('Corrective measure')
    expect(item.textContent).toContain('no longer expects a corrective measure')
    b.outboxList.mockResolvedValue([])
    ;(item.querySelector('[data-testid=status-rejected-dismiss]') as HTMLElement).click()
    await flushPromises()
    expect(b.outboxDismiss).toHaveBeenCalledWith(9)
    expect(wrapper.find('[data-testid=status-rejected]').exists()).toBe(false)
  })
})

describe('notices from a sync', () => {
  const loggedIn = { logged_in: true, server: 'http://ecert', username: 'coop', name: 'Coop', org_id: '1', org_name: 'Coop', has_data: true, token_store: '' }

  it.each([
    ['fr', "NC-7 : l'analyste a accepté votre mesure corrective — preuves matérielles demandées", 'Nouveau message de votre analyste sur NC-8'],
    ['en', 'NC-7: the analyst accepted your corrective measure — evidence requested', 'New message from your analyst on NC-8'],
  ])('shows each notice in plain words (%s), reloads, and opens the NC on a click', async (lang, decision, message) => {
    b.language.mockResolvedValue(lang)
    b.sessionState.mockResolvedValue(loggedIn)
    b.loginDefaults.mockResolvedValue({ server: '', username: '', password: '' })
    b.dashboard.mockResolvedValue(dashboard({ updates: 2, ready: 3 }))
    const { wrapper, router } = await mountScreen(App)
    await flushPromises()
    expect(wrapper.get('[data-testid=menu-ncs-updates]').text()).toContain('2')
    expect(wrapper.get('[data-testid=dash-updates]').text()).toContain('2')
    expect(wrapper.get('[data-testid=dash-ready]').text()).toContain('3')
    b.dashboard.mockClear()
    b.outboxList.mockClear()
    emit('sync:notify', [
      { nc_id: 'NC-7', kind: 'decision', stage: 'evidence_requested' },
      { nc_id: 'NC-8', kind: 'message', stage: '' },
    ])
    await flushPromises()
    const notes = [...document.body.querySelectorAll('[data-testid=notify]')].map((n) => n.textContent)
    expect(notes).toEqual([decision, message])
    expect(b.dashboard).toHaveBeenCalled()
    expect(b.outboxList).toHaveBeenCalled()
    ;(document.body.querySelector('[data-testid=notify]') as HTMLElement).click()
    await flushPromises()
    expect(router.currentRoute.value.fullPath).toBe('/ncs/NC-7')
  })

  it('says thousands of notices in one notification, which shows the open NCs', async () => {
    b.language.mockResolvedValue('en')
    b.sessionState.mockResolvedValue(loggedIn)
    b.loginDefaults.mockResolvedValue({ server: '', username: '', password: '' })
    b.ncs.mockResolvedValue([])
    const { router } = await mountScreen(App)
    await flushPromises()
    b.dashboard.mockClear()
    emit(
      'sync:notify',
      Array.from({ length: 20_000 }, (_, i) => ({ nc_id: `NC-${i}`, kind: 'message', stage: '' })),
    )
    await flushPromises()
    const notes = [...document.body.querySelectorAll('[data-testid=notify]')].map((n) => n.textContent)
    expect(notes).toEqual(['20000 updates from your analyst: see the open non-conformities'])
    expect(b.dashboard).toHaveBeenCalled()
    ;(document.body.querySelector('[data-testid=notify]') as HTMLElement).click()
    await flushPromises()
    expect(router.currentRoute.value.fullPath).toBe('/ncs')
    expect(document.body.querySelector('[data-testid=filter-open]')?.getAttribute('aria-pressed')).toBe('true')
  })
})
