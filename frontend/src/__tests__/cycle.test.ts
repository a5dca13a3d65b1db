import { beforeEach, describe, expect, it, vi } from 'vitest'
import * as backend from '../backend'
import AuditCycle from '../views/AuditCycle.vue'
import type { AuditCycle as Cycle, CycleStep } from '../types'
import { dashboard, syncStatus } from './fixtures'
import { mountScreen } from './mount'

vi.mock('../backend', async () => (await import('./backendMock')).default)
const b = vi.mocked(backend)

const KEYS = ['audit', 'ncs_confirmed', 'corrective_measures', 'evidence', 'evaluation', 'decision']

function steps(current: string, counts: Record<string, number> = {}): CycleStep[] {
  const at = KEYS.indexOf(current)
  return KEYS.map((key, i) => ({
    key,
    state: at < 0 || i < at ? 'done' : i === at ? 'current' : 'todo',
    count: counts[key] ?? 0,
    date: key === 'audit' ? '2026-10-24' : '',
  }))
}

function cycle(over: Partial<Cycle> = {}): Cycle {
  return {
    audit: { id: 'AO-38369', date: '2026-10-24', service_type: 'HL', type: 'surveillance', status: 'in_evaluation', auditor: 'Paul Mbarga' },
    steps: steps('corrective_measures', { corrective_measures: 1, evidence: 1 }),
    current: 'corrective_measures',
    next: { who: 'client', what: 'corrective_measures', nc_id: 'NC-167140-2019', due: '2026-12-24', days_left: 19, count: 2 },
    ncs: 2,
    open: 2,
    ...over,
  }
}

beforeEach(() => {
  vi.clearAllMocks()
  document.body.innerHTML = ''
  b.setLanguage.mockResolvedValue(undefined)
  b.syncStatus.mockResolvedValue(syncStatus())
  b.dashboard.mockResolvedValue(dashboard())
})

describe('Where am I in the cycle', () => {
  it('shows the manual steps, the current one, and what is due next from the client', async () => {
    b.cycles.mockResolvedValue([cycle(), cycle({ audit: { ...cycle().audit, id: 'AO-28681', date: '2026-05-09' } })])
    const { wrapper, router } = await mountScreen(AuditCycle, { props: { id: 'latest' }, lang: 'fr', path: '/audits/latest/cycle' })
    expect(wrapper.get('[data-testid=cycle-audit]').text()).toContain('Audit AO-38369 du 24/10/2026')
    expect(wrapper.get('[data-testid=cycle-step-corrective_measures]').attributes('data-state')).toBe('current')
    expect(wrapper.get('[data-testid=cycle-step-ncs_confirmed]').attributes('data-state')).toBe('done')
    expect(wrapper.get('[data-testid=cycle-step-decision]').attributes('data-state')).toBe('todo')
    expect(wrapper.get('[data-testid=cycle-step-corrective_measures]').text()).toContain('Mesures correctives')
    const next = wrapper.get('[data-testid=cycle-next]')
    expect(next.attributes('data-who')).toBe('client')
    expect(next.attributes('data-tone')).toBe('info')
    expect(wrapper.get('[data-testid=cycle-next-text]').text()).toBe(
      'À vous : proposer la mesure corrective de NC-167140-2019 — échéance le 24/12/2026, 19 jours restants',
    )
    await wrapper.get('[data-testid=cycle-open-nc]').trigger('click')
    await vi.waitFor(() => expect(router.currentRoute.value.fullPath).toBe('/ncs/NC-167140-2019'), { timeout: 15000 })
  })

  it('reminds calmly of an overdue deadline, and names the analyst when it is their turn', async () => {
    const late = cycle({ next: { who: 'client', what: 'evidence', nc_id: 'NC-1', due: '2026-12-01', days_left: -4, count: 1 } })
    const waiting = cycle({
      audit: { ...cycle().audit, id: 'AO-2' },
      steps: steps('evaluation', { evaluation: 2 }),
      current: 'evaluation',
      next: { who: 'analyst', what: 'evaluation', nc_id: '', due: '', days_left: null, count: 2 },
    })
    b.cycles.mockResolvedValue([late, waiting])
    let { wrapper } = await mountScreen(AuditCycle, { props: { id: 'AO-38369' }, path: '/audits/AO-38369/cycle' })
    expect(wrapper.get('[data-testid=cycle-next]').attributes('data-tone')).toBe('warning')
    expect(wrapper.get('[data-testid=cycle-next-text]').text()).toBe('Your turn: send the evidence for NC-1 — was due 01/12/2026, 4 days overdue')
    ;({ wrapper } = await mountScreen(AuditCycle, { props: { id: 'AO-2' }, lang: 'es', path: '/audits/AO-2/cycle' }))
    expect(wrapper.get('[data-testid=cycle-next]').attributes('data-who')).toBe('analyst')
    expect(wrapper.get('[data-testid=cycle-next-text]').text()).toContain('su analista está evaluando lo que envió (2 NC)')
    expect(wrapper.find('[data-testid=cycle-open-nc]').exists()).toBe(false)
  })

  it('says when the cycle is complete', async () => {
    b.cycles.mockResolvedValue([cycle({ steps: steps(''), current: '', next: null, open: 0 })])
    const { wrapper } = await mountScreen(AuditCycle, { props: { id: 'AO-38369' }, path: '/audits/AO-38369/cycle' })
    expect(wrapper.get('[data-testid=cycle-next]').attributes('data-tone')).toBe('success')
    expect(wrapper.get('[data-testid=cycle-next-text]').text()).toContain('Cycle complete')
    expect(wrapper.findAll('[data-state=done]')).toHaveLength(6)
  })
})
