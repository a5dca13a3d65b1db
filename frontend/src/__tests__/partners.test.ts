import { beforeEach, describe, expect, it, vi } from 'vitest'
import { createPinia, setActivePinia } from 'pinia'
import { flushPromises } from '@vue/test-utils'
import * as backend from '../backend'
import { usePartnersStore } from '../stores/partners'
import type { Partner, PartnerQuery, PartnerResults } from '../types'
import PartnersView from '../views/PartnersView.vue'
import { mountScreen } from './mount'

vi.mock('../backend', async () => (await import('./backendMock')).default)
const b = vi.mocked(backend)

beforeEach(() => {
  setActivePinia(createPinia())
  vi.clearAllMocks()
})

const partner = (flo_id: string, name: string): Partner => ({
  flo_id, name, country: 'CM', role: 'producer', products: ['cocoa'], status: 'certified', status_changed_at: '2026-09-05T00:00:00Z', seq: 1,
})
const results = (...p: Partner[]): PartnerResults => ({ partners: p, more: false, freshness: { operators: 30002, synced_at: '2026-12-05T14:02:00Z' } })
const q = (text: string) => ({ text, country: '', product: '', role: '', status: '', limit: 100 })

describe('partners store', () => {
  it('shows the answer to the latest search only, however the answers arrive', async () => {
    let first: (r: PartnerResults) => void = () => {}
    b.searchPartners.mockReturnValueOnce(new Promise((resolve) => (first = resolve)))
    b.searchPartners.mockResolvedValueOnce(results(partner('3542', 'Coopérative des Planteurs du Mont Vert')))
    const s = usePartnersStore()
    const slow = s.search(q('c'))
    await s.search(q('coop'))
    first(results(partner('1', 'Old answer')))
    await slow
    expect(s.results.map((p) => p.flo_id)).toEqual(['3542'])
    expect(s.query).toBe('coop')
    expect(s.freshness.operators).toBe(30002)
  })

  it('checks a status and keeps the error code when the FLO ID is unknown', async () => {
    b.partnerStatus.mockResolvedValueOnce({ ...partner('3542', 'Coop'), checked: true, checked_at: '2026-12-05T14:02:00Z', copy_at: '' })
    const s = usePartnersStore()
    await s.check('3542')
    expect(s.detail?.checked).toBe(true)
    b.partnerStatus.mockRejectedValueOnce(new Error('partner_unknown'))
    await s.check('000')
    expect(s.error).toBe('partner_unknown')
  })
})

describe('Partners page', () => {
  // The results table names the query its rows answer (data-query): what the browser
  // benchmark waits for after each keystroke; its rows are drawn with it.
  it('names on the results the query its rows answer, never an older one', async () => {
    let slow: (r: PartnerResults) => void = () => {}
    b.searchPartners.mockImplementation((q: PartnerQuery) => {
      if (q.text === 'ri') return new Promise((resolve) => (slow = resolve))
      if (q.text === 'riv') return Promise.resolve(results(partner('27816', 'Domaine de Rivière Claire')))
      return Promise.resolve(results(partner('3542', 'Coopérative des Planteurs du Mont Vert')))
    })
    const { wrapper } = await mountScreen(PartnersView, { lang: 'fr', path: '/partners' })
    const table = () => wrapper.find('[data-testid=partner-results]')
    const s = usePartnersStore()
    await vi.waitFor(() => expect(s.results.map((p) => p.flo_id)).toEqual(['3542']))
    expect(table().attributes('data-query')).toBe('')

    const input = wrapper.find('[data-testid=partner-search] input')
    await input.setValue('ri')
    await vi.waitFor(() => expect(b.searchPartners).toHaveBeenCalledWith(expect.objectContaining({ text: 'ri' })))
    expect(table().attributes('data-query')).toBe('') // asked, not answered yet
    await input.setValue('riv')
    await vi.waitFor(() => expect(table().attributes('data-query')).toBe('riv'))
    expect(s.results.map((p) => p.flo_id)).toEqual(['27816'])
    const row = table().find('[data-testid=partner-27816]')
    expect(row.text()).toContain('Domaine de Rivière Claire')
    expect(row.find('[data-testid=partner-status]').text()).toBe('Certifié')
    expect(table().find('[data-testid=partner-3542]').exists()).toBe(false)

    slow(results(partner('1', 'Old answer'))) // the answer to "ri" arrives last
    await flushPromises()
    expect(table().attributes('data-query')).toBe('riv')
    expect(s.results.map((p) => p.flo_id)).toEqual(['27816'])
    wrapper.unmount()
  })
})
