// Roles in the organisation: staff see Send disabled and why; the Team page lets the
// manager create, disable and reset staff accounts, and says plainly when offline.
import { beforeEach, describe, expect, it, vi } from 'vitest'
import { flushPromises } from '@vue/test-utils'
import { createPinia } from 'pinia'
import * as backend from '../backend'
import NcListView from '../views/NcListView.vue'
import TeamView from '../views/TeamView.vue'
import NcDetailView from '../views/NcDetailView.vue'
import App from '../App.vue'
import { useSessionStore } from '../stores/session'
import { useTeamStore } from '../stores/team'
import { dashboard, detail, localCA, ncRow, syncStatus } from './fixtures'
import { emit, handlers } from './backendMock'
import { mountScreen } from './mount'
import type { Account } from '../types'
import { NSelect, type SelectOption } from 'naive-ui'

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

describe('assignment and the Mine filter', () => {
  const assignment = (nc_id: string, assignee: string) => ({
    nc_id, assignee, assignee_name: assignee === 'u' ? 'Awa Ndiaye' : 'Jean', due: '2019-05-24',
    assigned_by: 'coop', assigned_by_name: 'Marie Ngo Bassa', assigned_at: '2019-05-20T10:00:00Z', revision: 1,
  })

  it.each([
    ['fr', 'Les miennes (1)'],
    ['es', 'Las mías (1)'],
  ] as const)('counts my NCs and shows only them (%s)', async (lang, label) => {
    b.ncs.mockResolvedValue([ncRow({ id: 'NC-1-2019' }), ncRow({ id: 'NC-2-2019' })])
    b.teamAssignments.mockResolvedValue([assignment('NC-2-2019', 'u'), assignment('NC-1-2019', 'jean')])
    const { wrapper } = await mountScreen(NcListView, { path: '/ncs', lang, pinia: as('staff') })
    expect(wrapper.get('[data-testid=filter-mine]').text()).toBe(label)
    expect(wrapper.findAll('[data-testid=nc-row]').length).toBe(2)
    await wrapper.get('[data-testid=filter-mine]').trigger('click')
    expect(wrapper.findAll('[data-testid=nc-row]').map((r) => r.attributes('data-nc-id'))).toEqual(['NC-2-2019'])
  })

  const member = (username: string, name: string, disabled = false) => ({ username, name, org_role: 'staff', disabled })

  it('lets the manager pick a person, and says why an assignment was refused', async () => {
    b.teamAssignments.mockResolvedValue([])
    b.teamMembers.mockResolvedValue([member('awa', 'Awa Ndiaye'), member('old', 'Ancien Employé', true), member('coop', 'Marie Ngo Bassa')])
    const { default: NcAssignment } = await import('../components/nc-detail/NcAssignment.vue')
    const { wrapper } = await mountScreen(NcAssignment, { props: { ncId: 'NC-1-2019' }, pinia: as('manager') })
    await flushPromises()
    expect(wrapper.get('[data-testid=nc-assignee]').text()).toContain('Nobody is responsible')
    const select = wrapper.getComponent(NSelect)
    // The active accounts only: the disabled one is not offered.
    expect(select.props('options')).toEqual([
      { value: 'awa', label: 'Awa Ndiaye (awa)' },
      { value: 'coop', label: 'Marie Ngo Bassa (coop)' },
    ])
    // The search finds a person by name without accents or case, or by username.
    const filter = select.props('filter') as (p: string, o: SelectOption) => boolean
    expect(filter('ndiaye', { value: 'awa', label: 'Awa Ndiaye (awa)' })).toBe(true)
    expect(filter('MARIE', { value: 'coop', label: 'Marie Ngo Bassa (coop)' })).toBe(true)
    expect(filter('employe', { value: 'old', label: 'Ancien Employé (old)' })).toBe(true)
    expect(filter('awa', { value: 'coop', label: 'Marie Ngo Bassa (coop)' })).toBe(false)

    b.teamAssign.mockResolvedValueOnce(assignment('NC-1-2019', 'u'))
    b.teamAssignments.mockResolvedValue([assignment('NC-1-2019', 'u')])
    select.vm.$emit('update:value', 'awa')
    await wrapper.get('[data-testid=assign-due]').setValue('2019-05-24')
    await wrapper.get('[data-testid=assign-save]').trigger('click')
    await flushPromises()
    expect(b.teamAssign).toHaveBeenCalledWith('NC-1-2019', 'awa', '2019-05-24')
    expect(wrapper.get('[data-testid=nc-assignee]').text()).toContain('Responsible: Awa Ndiaye')
    b.teamAssign.mockRejectedValueOnce(new Error('assignee_unknown'))
    await wrapper.get('[data-testid=assign-save]').trigger('click')
    await flushPromises()
    expect(wrapper.get('[data-testid=assign-error]').text()).toContain('not an active account of your organisation')
  })

  it.each([
    ['fr', 'Ancien Employé (old) — compte désactivé'],
    ['pt', 'Ancien Employé (old) — conta desativada'],
  ] as const)('still shows a disabled assignee, not offered again (%s)', async (lang, label) => {
    b.teamAssignments.mockResolvedValue([{ ...assignment('NC-1-2019', 'old'), assignee_name: 'Ancien Employé' }])
    b.teamMembers.mockResolvedValue([member('awa', 'Awa Ndiaye'), member('old', 'Ancien Employé', true)])
    const { default: NcAssignment } = await import('../components/nc-detail/NcAssignment.vue')
    const { wrapper } = await mountScreen(NcAssignment, { props: { ncId: 'NC-1-2019' }, lang, pinia: as('manager') })
    await flushPromises()
    const select = wrapper.getComponent(NSelect)
    expect(select.props('value')).toBe('old')
    expect(select.props('options')).toEqual([
      { value: 'awa', label: 'Awa Ndiaye (awa)' },
      { value: 'old', label, disabled: true },
    ])
    expect(wrapper.get('[data-testid=nc-assignee]').text()).toContain('Ancien Employé')
  })

  it('asks staff for no accounts', async () => {
    b.teamAssignments.mockResolvedValue([])
    const { default: NcAssignment } = await import('../components/nc-detail/NcAssignment.vue')
    await mountScreen(NcAssignment, { props: { ncId: 'NC-1-2019' }, pinia: as('staff') })
    await flushPromises()
    expect(b.teamMembers).not.toHaveBeenCalled()
  })

  it('hides the assignment form from staff', async () => {
    b.teamAssignments.mockResolvedValue([])
    const { default: NcAssignment } = await import('../components/nc-detail/NcAssignment.vue')
    const { wrapper } = await mountScreen(NcAssignment, { props: { ncId: 'NC-1-2019' }, pinia: as('staff') })
    expect(wrapper.find('[data-testid=assign-save]').exists()).toBe(false)
  })
})

describe('the dashboard', () => {
  it('shows what is due this week per person', async () => {
    b.teamDueThisWeek.mockResolvedValue([{ assignee: 'coop-staff', name: 'Jean-Paul Essomba', items: [{
      nc_id: 'NC-1-2019', assignee: 'coop-staff', assignee_name: 'Jean-Paul Essomba', due: '2019-05-24',
      assigned_by: 'coop', assigned_by_name: 'Marie', assigned_at: '2019-05-20T10:00:00Z', revision: 1 }] }])
    const { default: DashboardView } = await import('../views/DashboardView.vue')
    const { wrapper } = await mountScreen(DashboardView, { lang: 'fr', pinia: as('manager') })
    expect(wrapper.get('[data-testid=dashboard-due-week]').text()).toContain('Échéances internes de la semaine')
    expect(wrapper.get('[data-testid=dashboard-due-person]').text()).toContain('Jean-Paul Essomba')
    expect(wrapper.get('[data-testid=dashboard-due-person]').text()).toContain('NC-1-2019')
  })
})

describe('the notice to the person assigned', () => {
  const loggedIn = { logged_in: true, server: 'http://ecert', username: 'coop-staff', name: 'Jean-Paul', org_id: '1', org_name: 'Coop', has_data: true, token_store: '', org_role: 'staff' }

  it.each([
    ['fr', 'De votre équipe', 'Vous êtes désormais responsable de NC-7, à traiter avant le 24/05/2019 (échéance interne)', 'Vous êtes désormais responsable de NC-8'],
    ['es', 'De su equipo', 'Ahora usted es responsable de NC-7, con vencimiento interno el 24/05/2019', 'Ahora usted es responsable de NC-8'],
  ])('says who is now responsible, by when (%s), and reloads the assignments', async (lang, title, withDue, noDue) => {
    b.language.mockResolvedValue(lang)
    b.sessionState.mockResolvedValue(loggedIn)
    b.loginDefaults.mockResolvedValue({ server: '', username: '', password: '' })
    b.teamAssignments.mockResolvedValue([])
    await mountScreen(App)
    await flushPromises()
    b.teamAssignments.mockClear()
    emit('data:changed', { entities: ['assignment', 'member'] })
    emit('sync:notify', [
      { nc_id: 'NC-7', kind: 'assigned', stage: '2019-05-24' },
      { nc_id: 'NC-8', kind: 'assigned', stage: '' },
    ])
    await flushPromises()
    expect(b.teamAssignments).toHaveBeenCalled()
    expect(b.teamMembers).toHaveBeenCalled() // the picker's people, as pulled
    const notes = [...document.body.querySelectorAll('[data-testid=notify]')].map((n) => n.textContent)
    expect(notes).toEqual([withDue, noDue])
    expect(document.body.textContent).toContain(title)
  })
})

describe('who wrote what, on the NC screen', () => {
  it('names the shared draft\'s last author, the CA\'s writer and each file\'s (fr)', async () => {
    const ID = 'NC-167140-2019'
    const ev = (id: string, name: string, by: Record<string, string>) => ({
      evidence: { id, nc_id: ID, type: 'evidence', date: '2019-05-20', subject: '', added_at: '2019-05-20T10:00:00Z',
        file: { sha256: id, name, size: 2_000, media_type: 'application/pdf' }, ...by },
      cached: true, local: true, state: 'sent', sent_at: '',
    })
    const d = detail(ncRow({ id: ID, stage: 'ca_returned', ca_history: [
      { text: 'Former les récolteurs.', submitted_by: 'Marie Ngo Bassa', submitted_at: '2019-05-10T10:00:00Z',
        written_by: 'coop-staff', written_by_name: 'Jean-Paul Essomba', decision: 'returned', comment: 'Précisez.' },
    ] } as never), {
      shared_draft: { nc_id: ID, text: 'Former les récolteurs au port des gants.', revision: 3, updated_by: 'awa.field',
        updated_by_name: 'Awa Ndiaye', updated_at: '2019-05-12T08:30:00Z' },
      evidence: [ev('e1', 'registre.pdf', { added_by: 'awa.field', added_by_name: 'Awa Ndiaye' }), ev('e2', 'vieux.pdf', { added_by: 'coop' })] as never,
    })
    b.nc.mockResolvedValue(d)
    b.markSeen.mockResolvedValue(undefined)
    b.outboxList.mockResolvedValue([])
    b.teamAssignments.mockResolvedValue([])
    const { wrapper } = await mountScreen(NcDetailView, { props: { id: ID }, path: `/ncs/${ID}`, lang: 'fr', pinia: as('manager') })
    await flushPromises()
    expect(wrapper.get('[data-testid=ca-draft-by]').text()).toContain('Dernière modification par Awa Ndiaye')
    expect(wrapper.get('[data-testid=ca-history-author]').text()).toBe('Rédigée par Jean-Paul Essomba')
    await wrapper.get('[data-testid=tab-evidence]').trigger('click')
    await flushPromises()
    expect(wrapper.findAll('[data-testid=evidence-added-by]').map((c) => c.text())).toEqual(['Awa Ndiaye', 'coop'])
    // Under the file's date (the table fits 1024 px), named by its tooltip.
    expect(wrapper.find('[data-testid=evidence-added-by]').attributes('title')).toBe('Ajoutée par')
  })

  it.each([
    ['fr', 'Rédigée par Marie Ngo Bassa'],
    ['es', 'Redactada por Marie Ngo Bassa'],
  ] as const)('names the person logged in as the author of what is not sent yet (%s)', async (lang, draftBy) => {
    const ID = 'NC-167140-2019'
    const d = detail(ncRow({ id: ID, stage: 'ca_requested' }), {
      editable: true,
      local: localCA({ nc_id: ID, text: 'Former les récolteurs.', draft: 'local', written_by: 'coop', written_by_name: 'Marie Ngo Bassa' }),
      pending: [{ seq: 4, text: 'Les photos suivent.', created_at: '2019-05-20T10:00:00Z', rejected: false, code: '', author: 'coop', author_name: 'Marie Ngo Bassa' }],
    })
    b.nc.mockResolvedValue(d)
    b.markSeen.mockResolvedValue(undefined)
    b.outboxList.mockResolvedValue([])
    b.teamAssignments.mockResolvedValue([])
    b.teamMembers.mockResolvedValue([])
    const { wrapper } = await mountScreen(NcDetailView, { props: { id: ID }, path: `/ncs/${ID}`, lang, pinia: as('manager') })
    await flushPromises()
    expect(wrapper.get('[data-testid=ca-local-by]').text()).toBe(draftBy)
    await wrapper.get('[data-testid=tab-communication]').trigger('click')
    await flushPromises()
    expect(wrapper.get('[data-testid=nc-message-pending-author]').text()).toContain('Marie Ngo Bassa')
  })
})
