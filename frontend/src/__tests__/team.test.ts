// Roles in the organisation: staff see Send disabled and why; the Team page lets the
// manager create, disable and reset staff accounts, and says plainly when offline.
import { beforeEach, describe, expect, it, vi } from 'vitest'
import { flushPromises } from '@vue/test-utils'
import { createPinia } from 'pinia'
import * as backend from '../backend'
import NcListView from '../views/NcListView.vue'
import TeamView from '../views/TeamView.vue'
import { useSessionStore } from '../stores/session'
import { useTeamStore } from '../stores/team'
import { dashboard, ncRow, syncStatus } from './fixtures'
import { handlers } from './backendMock'
import { mountScreen } from './mount'
import type { Account } from '../types'

vi.mock('../backend', async () => (await import('./backendMock')).default)
const b = vi.mocked(backend)

beforeEach(() => {
  vi.clearAllMocks()
  handlers.clear()
  document.body.innerHTML = ''
  b.syncStatus.mockResolvedValue(syncStatus())
  b.dashboard.mockResolvedValue(dashboard({ ready: 1 }))
  b.ncs.mockResolvedValue([ncRow({ id: 'NC-1-2019' }, { ready: true })])
})

const acc = (username: string, role = 'staff', disabled = false): Account => ({ username, name: username.toUpperCase(), role, disabled })

/** A pinia whose session is a staff's or a manager's. */
function as(role: 'staff' | 'manager') {
  const pinia = createPinia()
  const s = useSessionStore(pinia)
  s.state = { ...s.state, logged_in: true, username: 'u', org_role: role }
  return pinia
}

describe('staff and Send', () => {
  it.each([
    ['en', "Only your organisation's manager can send to FLOCERT."],
    ['fr', 'Seul le responsable de votre organisation envoie à FLOCERT.'],
    ['es', 'Solo el responsable de su organización envía a FLOCERT.'],
    ['pt', 'Só o responsável da sua organização envia para a FLOCERT.'],
  ] as const)('disables Send for staff and says why (%s)', async (lang, words) => {
    const { wrapper } = await mountScreen(NcListView, { path: '/ncs', lang, pinia: as('staff') })
    expect(wrapper.get('[data-testid=send-button]').attributes('disabled')).toBeDefined()
    expect(wrapper.get('[data-testid=send-staff-why]').text()).toContain(words)
  })

  it('leaves Send to the manager', async () => {
    const { wrapper } = await mountScreen(NcListView, { path: '/ncs', pinia: as('manager') })
    expect(wrapper.get('[data-testid=send-button]').attributes('disabled')).toBeUndefined()
    expect(wrapper.find('[data-testid=send-staff-why]').exists()).toBe(false)
  })
})

describe('the Team page', () => {
  it('tells staff that the manager manages accounts, and asks the server nothing', async () => {
    const { wrapper } = await mountScreen(TeamView, { path: '/team', lang: 'fr', pinia: as('staff') })
    expect(wrapper.get('[data-testid=team-staff-why]').text()).toContain('Seul le responsable')
    expect(b.teamAccounts).not.toHaveBeenCalled()
  })

  it('lists, creates with a temporary password shown once, and disables', async () => {
    b.teamAccounts.mockResolvedValueOnce([acc('coop', 'manager'), acc('coop-staff')])
    const { wrapper } = await mountScreen(TeamView, { path: '/team', pinia: as('manager') })
    expect(wrapper.get('[data-testid=team-accounts]').text()).toContain('COOP-STAFF')
    expect(wrapper.find('[data-testid=team-toggle-coop]').exists()).toBe(false) // a manager is not managed here

    b.teamAddStaff.mockResolvedValueOnce({ ...acc('awa'), password: 'k7qm-3xta-9pfe-w2hc' })
    b.teamAccounts.mockResolvedValue([acc('awa'), acc('coop', 'manager'), acc('coop-staff')])
    await wrapper.get('[data-testid=team-new-name]').setValue('Awa Ndiaye')
    await wrapper.get('[data-testid=team-new-username]').setValue('awa')
    await wrapper.get('[data-testid=team-add]').trigger('click')
    await flushPromises()
    expect(b.teamAddStaff).toHaveBeenCalledWith('awa', 'Awa Ndiaye')
    expect(wrapper.get('[data-testid=team-password-value]').text()).toBe('k7qm-3xta-9pfe-w2hc')

    b.teamDisable.mockResolvedValueOnce(acc('awa', 'staff', true))
    await wrapper.get('[data-testid=team-toggle-awa]').trigger('click')
    await flushPromises()
    expect(b.teamDisable).toHaveBeenCalledWith('awa')
    expect(useTeamStore().issued).toBeNull() // the password is not shown again
  })

  it('says that managing accounts needs the connection', async () => {
    b.teamAccounts.mockRejectedValueOnce(new Error('needs_connection'))
    const { wrapper } = await mountScreen(TeamView, { path: '/team', lang: 'es', pinia: as('manager') })
    expect(wrapper.get('[data-testid=load-error]').text().length).toBeGreaterThan(10)
    expect(useTeamStore().error).toBe('needs_connection')
  })
})
