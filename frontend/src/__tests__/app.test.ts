import { beforeEach, describe, expect, it, vi } from 'vitest'
import { flushPromises } from '@vue/test-utils'
import * as backend from '../backend'
import App from '../App.vue'
import { dashboard, syncStatus } from './fixtures'
import { emit, handlers } from './backendMock'
import { mountScreen } from './mount'

vi.mock('../backend', async () => (await import('./backendMock')).default)
const b = vi.mocked(backend)

const loggedOut = { logged_in: false, server: '', username: '', name: '', org_id: '', org_name: '', has_data: false, token_store: '' }
const loggedIn = { logged_in: true, server: 'http://ecert', username: 'coop', name: 'Coop User', org_id: '3542', org_name: 'Coop', has_data: true, token_store: '' }

beforeEach(() => {
  vi.clearAllMocks()
  handlers.clear()
  document.body.innerHTML = ''
  b.language.mockResolvedValue('en')
  b.setLanguage.mockResolvedValue(undefined)
  b.loginDefaults.mockResolvedValue({ server: 'http://ecert', username: 'demo', password: '' })
  b.syncStatus.mockResolvedValue(syncStatus({ online: false, last_error: 'unreachable' }))
  b.dashboard.mockResolvedValue(dashboard({ ca_count: 2, evidence_count: 1, unread: 4 }))
})

describe('App', () => {
  it('shows the login screen, pre-filled, and reports a wrong password in plain words', async () => {
    b.sessionState.mockResolvedValue(loggedOut)
    b.login.mockRejectedValue('bad_credentials')
    const { wrapper } = await mountScreen(App)
    const server = wrapper.get<HTMLInputElement>('[data-testid=login-server]')
    expect(server.element.value).toBe('http://ecert')
    expect(wrapper.get<HTMLInputElement>('[data-testid=login-username]').element.value).toBe('demo')
    await wrapper.get('[data-testid=login-password]').setValue('wrong')
    await wrapper.get('[data-testid=login-submit]').trigger('click')
    await flushPromises()
    expect(b.login).toHaveBeenCalledWith('http://ecert', 'demo', 'wrong')
    expect(wrapper.get('[data-testid=login-error]').text()).toBe('Wrong user name or password.')
  })

  it('opens on the dashboard offline when logged in with data, with the menu in the manual order', async () => {
    b.sessionState.mockResolvedValue(loggedIn)
    const { wrapper } = await mountScreen(App)
    await flushPromises()
    expect(wrapper.find('[data-testid=login-submit]').exists()).toBe(false)
    const menu = wrapper.findAll('[data-testid^=menu-]').filter((w) => !w.attributes('data-testid')!.startsWith('menu-ncs-'))
    expect(menu.map((m) => m.attributes('data-testid'))).toEqual([
      'menu-portal', 'menu-master-data', 'menu-contacts', 'menu-certificate', 'menu-certification',
      'menu-audits', 'menu-ncs', 'menu-documents', 'menu-files', 'menu-checklist', 'menu-partners', 'menu-team', 'menu-account',
    ])
    expect(wrapper.get('[data-testid=menu-ncs-badge]').text()).toBe('3')
    expect(wrapper.get('[data-testid=menu-ncs-unread]').text()).toContain('4')
    expect(wrapper.get('[data-testid=status-online]').text()).toBe('Offline')
    expect(wrapper.get('[data-testid=dash-ca]').text()).toContain('2')
  })

  it('asks for the dashboard before it draws the shell, and for the sync status once', async () => {
    b.sessionState.mockResolvedValue(loggedIn)
    let shellDrawn: boolean | undefined
    b.dashboard.mockImplementation(async () => {
      shellDrawn ??= document.querySelector('[data-testid=brand]') !== null
      return dashboard({ ca_count: 2, evidence_count: 1, unread: 4 })
    })
    const { wrapper } = await mountScreen(App)
    await flushPromises()
    expect(wrapper.get('[data-testid=dash-ca]').text()).toContain('2')
    expect(shellDrawn).toBe(false)
    expect(b.syncStatus).toHaveBeenCalledTimes(1)
  })

  it('tells, once, that a damaged local database was rebuilt and where the unsent work went', async () => {
    b.sessionState.mockResolvedValue({
      ...loggedIn,
      recovery: { folder: '/data/damaged-1', export: '/data/damaged-1/unsent-work.json', restored: 1, unsent: 2, logged_in: true },
    })
    await mountScreen(App)
    await flushPromises()
    const text = document.body.textContent ?? ''
    expect(text).toContain('The local data was damaged and has been rebuilt')
    expect(text).toContain('/data/damaged-1')
    expect(text).toContain('/data/damaged-1/unsent-work.json')
  })

  it('goes back to the login screen with the user name when the session expires', async () => {
    b.sessionState.mockResolvedValue(loggedIn)
    const { wrapper } = await mountScreen(App)
    await flushPromises()
    emit('session:expired')
    await flushPromises()
    expect(wrapper.find('[data-testid=login-expired]').exists()).toBe(true)
    expect(wrapper.get<HTMLInputElement>('[data-testid=login-username]').element.value).toBe('coop')
  })

  it('announces a new release once, and its notice opens About', async () => {
    b.sessionState.mockResolvedValue(loggedIn)
    b.about.mockResolvedValue({
      build: { version: '1.2.0', commit: 'abc', date: 'unknown', webview: 'none', go: 'go', os: 'linux', arch: 'amd64' },
      update: { status: 'available', current: '1.2.0', available: '1.3.0', mode: 'swap' },
      key: { state: 'publisher', fingerprint: '0123456789abcdef' },
    })
    await mountScreen(App)
    await flushPromises()
    const state = { status: 'available', current: '1.2.0', available: '1.3.0', mode: 'swap' }
    emit('update:state', state)
    emit('update:state', state) // the next daily check: not said again
    await flushPromises()
    const notes = document.body.querySelectorAll('[data-testid=notify-update]')
    expect(notes.length).toBe(1)
    expect(notes[0].textContent).toBe('Version 1.3.0 is available.')
    ;(document.body.querySelector('[data-testid=notify-update-open]') as HTMLElement).click()
    await flushPromises()
    expect(document.body.querySelector('[data-testid=about-dialog]')).not.toBeNull()
    expect(document.body.querySelector('[data-testid=about-install]')).not.toBeNull()
  })

  it('says the password was changed on another computer when that ended the session', async () => {
    b.sessionState.mockResolvedValue(loggedIn)
    const { wrapper } = await mountScreen(App)
    await flushPromises()
    emit('session:expired', { reason: 'password_changed' })
    await flushPromises()
    expect(wrapper.get('[data-testid=login-expired]').text()).toContain('Your password was changed on another computer')
    expect(wrapper.get<HTMLInputElement>('[data-testid=login-username]').element.value).toBe('coop')
  })

  it('opens on the login screen saying why when the saved login was ended by a password change', async () => {
    b.sessionState.mockResolvedValue({ ...loggedIn, logged_in: false, ended: 'password_changed' })
    const { wrapper } = await mountScreen(App)
    await flushPromises()
    expect(wrapper.get('[data-testid=login-expired]').text()).toContain('Your password was changed on another computer')
  })

  it('changes the password on the account page and shows each refusal next to the button', async () => {
    b.sessionState.mockResolvedValue(loggedIn)
    const { wrapper, router } = await mountScreen(App)
    await flushPromises()
    await router.push({ name: 'account' })
    await flushPromises()
    expect(wrapper.get('[data-testid=account-user]').text()).toContain('coop')
    const fill = async (current: string, next: string, confirm: string) => {
      await wrapper.get('[data-testid=password-current]').setValue(current)
      await wrapper.get('[data-testid=password-new]').setValue(next)
      await wrapper.get('[data-testid=password-confirm]').setValue(confirm)
    }
    // Two different new passwords: said at once, nothing sent.
    await fill('coop', 'a long new phrase', 'another phrase')
    expect(wrapper.text()).toContain('The two new passwords are not the same.')
    expect(wrapper.get('[data-testid=password-submit]').attributes('disabled')).toBeDefined()
    // Offline: the backend refuses, and the page says it needs the connection.
    b.changePassword.mockRejectedValueOnce('needs_connection')
    await fill('coop', 'a long new phrase', 'a long new phrase')
    await wrapper.get('[data-testid=password-submit]').trigger('click')
    await flushPromises()
    expect(b.changePassword).toHaveBeenCalledWith('coop', 'a long new phrase')
    expect(wrapper.get('[data-testid=password-error]').text()).toContain('needs a connection to FLOCERT')
    b.changePassword.mockRejectedValueOnce('password_common')
    await wrapper.get('[data-testid=password-submit]').trigger('click')
    await flushPromises()
    expect(wrapper.get('[data-testid=password-error]').text()).toContain('too common')
    b.changePassword.mockResolvedValueOnce(undefined)
    await wrapper.get('[data-testid=password-submit]').trigger('click')
    await flushPromises()
    expect(wrapper.find('[data-testid=password-error]').exists()).toBe(false)
    expect(wrapper.get('[data-testid=password-done]').text()).toContain('Your password has been changed')
    expect(wrapper.get<HTMLInputElement>('[data-testid=password-current]').element.value).toBe('')
  })

  it('shows the general thread with FLOCERT on the Contacts page and sends from it', async () => {
    b.sessionState.mockResolvedValue(loggedIn)
    b.contacts.mockResolvedValue([])
    b.markRead.mockResolvedValue(undefined)
    b.outboxList.mockResolvedValue([])
    const reply = { id: 'MSG-1', nc_id: '', author: 'Claire Dubois', author_role: 'analyst', body: 'Bien reçu.', sent_at: '2026-12-01T10:00:00Z' }
    b.generalThread.mockResolvedValue({ messages: [reply], pending: [] })
    const { wrapper, router } = await mountScreen(App)
    await flushPromises()
    await router.push({ name: 'contacts' })
    await flushPromises()
    expect(wrapper.get('[data-testid=general-section]').text()).toContain('Messages to FLOCERT')
    expect(wrapper.get('[data-testid=general-message]').text()).toContain('Bien reçu.')
    expect(b.markRead).toHaveBeenCalledWith('')
    // Written offline: queued, shown as waiting.
    b.outboxGeneralMessage.mockResolvedValue(undefined)
    b.generalThread.mockResolvedValue({
      messages: [reply],
      pending: [{ seq: 7, text: 'Merci !', created_at: '2026-12-02T08:00:00Z', rejected: false, code: '' }],
    })
    await wrapper.get('[data-testid=general-message-text]').setValue('Merci !')
    await wrapper.get('[data-testid=general-message-send]').trigger('click')
    await flushPromises()
    expect(b.outboxGeneralMessage).toHaveBeenCalledWith('Merci !')
    expect(wrapper.get('[data-testid=general-message-pending]').text()).toContain('Merci !')
  })

  it('announces a reply in the general thread and opens the Contacts page', async () => {
    b.sessionState.mockResolvedValue(loggedIn)
    b.contacts.mockResolvedValue([])
    b.generalThread.mockResolvedValue({ messages: [], pending: [] })
    const { router } = await mountScreen(App)
    await flushPromises()
    emit('sync:notify', [{ kind: 'message', nc_id: '', stage: '' }])
    await flushPromises()
    const note = document.querySelector('[data-testid=notify]') as HTMLElement
    expect(note.textContent).toContain('FLOCERT replied to your message')
    note.click()
    await vi.waitFor(() => expect(router.currentRoute.value.name).toBe('contacts'))
  })

  it('announces a suspended partner of a chain once and opens the chains', async () => {
    b.sessionState.mockResolvedValue(loggedIn)
    b.listChains.mockResolvedValue({
      chains: [
        {
          product: 'coffee',
          at_risk: 1,
          partners: [
            { product: 'coffee', flo_id: '27816', role: 'supplier', name: 'Domaine de Rivière Claire', country: 'MG', status: 'suspended', valid_until: '2028-01-31', expiring: false },
          ],
        },
      ],
    })
    const { router, wrapper } = await mountScreen(App)
    await flushPromises()
    emit('chain:alert', [{ flo_id: '27816', name: 'Domaine de Rivière Claire', event: 'suspended', valid_until: '', products: ['coffee'] }])
    await flushPromises()
    const note = document.querySelector('[data-testid=notify-chain]') as HTMLElement
    expect(note.textContent).toContain('Domaine de Rivière Claire (FLO ID 27816) has been suspended')
    note.click()
    await vi.waitFor(() => expect(router.currentRoute.value.name).toBe('chains'))
    await flushPromises()
    expect(wrapper.get('[data-testid=chain-partner-27816]').text()).toContain('Suspended')
    expect(wrapper.get('[data-testid=chain-at-risk]').text()).toContain('1 partner to watch')
  })

  it('lists past chain alerts and marks them seen', async () => {
    b.sessionState.mockResolvedValue(loggedIn)
    b.listChains.mockResolvedValue({ chains: [] })
    const alert = {
      key: '27816|suspended|2026-12-05T10:00:00Z',
      flo_id: '27816',
      name: 'Domaine de Rivière Claire',
      event: 'suspended',
      fact: '2026-12-05T10:00:00Z',
      raised_at: '2026-12-05T10:05:00Z',
      seen_at: '',
    }
    b.listChainAlerts.mockResolvedValue([alert, { ...alert, key: '3542|expiring|2027-01-20', flo_id: '3542', name: '', event: 'expiring', fact: '2027-01-20', seen_at: '2026-12-01T09:00:00Z' }])
    b.markChainAlertsSeen.mockResolvedValue(1)
    const { router, wrapper } = await mountScreen(App)
    await flushPromises()
    await router.push({ name: 'chains' })
    await flushPromises()
    const item = wrapper.get('[data-testid=chain-alert-27816]')
    expect(item.text()).toContain('Domaine de Rivière Claire (FLO ID 27816) was suspended on 05/12/2026.')
    expect(item.attributes('data-seen')).toBe('false')
    expect(item.find('[data-testid=chain-alert-new]').exists()).toBe(true)
    expect(wrapper.get('[data-testid=chain-alert-3542]').text()).toContain('The certificate of 3542 (FLO ID 3542) expires on 20/01/2027.')
    expect(wrapper.get('[data-testid=chain-alert-3542]').attributes('data-seen')).toBe('true')
    expect(wrapper.get('[data-testid=chain-alerts-unseen]').text()).toBe('1 not seen')

    b.listChainAlerts.mockResolvedValue([{ ...alert, seen_at: '2026-12-05T11:00:00Z' }])
    await wrapper.get('[data-testid=chain-alerts-seen]').trigger('click')
    await flushPromises()
    expect(b.markChainAlertsSeen).toHaveBeenCalledWith([])
    expect(wrapper.get('[data-testid=chain-alert-27816]').attributes('data-seen')).toBe('true')
    expect(wrapper.find('[data-testid=chain-alerts-unseen]').exists()).toBe(false)
    expect(wrapper.find('[data-testid=chain-alerts-seen]').exists()).toBe(false)
  })

  it('follows sync status events and reloads what a sync changed', async () => {
    b.sessionState.mockResolvedValue(loggedIn)
    const { wrapper } = await mountScreen(App)
    await flushPromises()
    emit('sync:status', syncStatus({ online: true, syncing: true }))
    await flushPromises()
    expect(wrapper.get('[data-testid=status-online]').text()).toBe('Online')
    expect(wrapper.find('[data-testid=status-syncing]').exists()).toBe(true)
    b.dashboard.mockClear()
    emit('data:changed', { entities: ['nc'] })
    await flushPromises()
    expect(b.dashboard).toHaveBeenCalled()
  })

  it('unsubscribes each event exactly once on unmount', async () => {
    b.sessionState.mockResolvedValue(loggedOut)
    const { wrapper } = await mountScreen(App)
    expect(b.onEvent).toHaveBeenCalledTimes(9)
    wrapper.unmount()
    expect([...handlers.values()].every((l) => l.length === 0)).toBe(true)
  })
})

describe('menu', () => {
  it('labels each item with its words only, the badges beside them', async () => {
    b.sessionState.mockResolvedValue(loggedIn)
    const { wrapper } = await mountScreen(App)
    await flushPromises()
    expect(wrapper.get('[data-testid=menu-ncs]').text()).toBe('Non-conformities and corrective measures')
    expect(wrapper.get('[data-testid=menu-audits]').text()).toBe('Audit status')
    expect(document.documentElement.lang).toBe('en')
  })
})
