import { beforeEach, describe, expect, it, vi } from 'vitest'
import * as backend from '../backend'
import NcTrail from '../components/nc-detail/NcTrail.vue'
import { syncStatus } from './fixtures'
import { handlers } from './backendMock'
import { mountScreen } from './mount'

vi.mock('../backend', async () => (await import('./backendMock')).default)
const b = vi.mocked(backend)

beforeEach(() => {
  vi.clearAllMocks()
  handlers.clear()
  document.body.innerHTML = ''
  b.syncStatus.mockResolvedValue(syncStatus())
})

const entry = (seq: number, kind: string, sent: boolean) => ({
  seq,
  at: `2026-11-27T10:0${seq}:00Z`,
  author: 'marie',
  kind,
  hash: 'ab'.repeat(32),
  sent,
})

describe("An NC's trail", () => {
  it('shows when, who and what, newest first, and what the server holds', async () => {
    b.ncTrail.mockResolvedValue([entry(1, 'ca.draft', true), entry(2, 'message', false), entry(3, 'nc.future', false)])
    const { wrapper } = await mountScreen(NcTrail, { props: { ncId: 'NC-1-2019' }, lang: 'fr' })
    expect(b.ncTrail).toHaveBeenCalledWith('NC-1-2019')
    const rows = wrapper.findAll('[data-testid=trail-row]')
    expect(rows.map((r) => r.get('[data-testid=trail-kind]').text())).toEqual([
      'nc.future', // a kind this window does not know yet, as it is named
      'Message rédigé',
      'Mesure corrective sauvegardée comme brouillon',
    ])
    expect(rows[0].get('[data-testid=trail-author]').text()).toBe('marie')
    // The author's name when the organisation's accounts give it, the username beside.
    b.ncTrail.mockResolvedValue([{ ...entry(1, 'ca.draft', false), author_name: 'Marie Ngo Bassa' }])
    const named = await mountScreen(NcTrail, { props: { ncId: 'NC-2-2019' }, lang: 'fr' })
    const who = named.wrapper.get('[data-testid=trail-author] span')
    expect(who.text()).toBe('Marie Ngo Bassa')
    expect(who.attributes('title')).toBe('marie')
    expect(rows[2].text()).toContain('Sur le serveur')
    expect(rows[1].text()).toContain('Pas encore envoyée')
  })

  it('says when nothing was changed here, and shows an error by its code', async () => {
    b.ncTrail.mockResolvedValue(null)
    const { wrapper } = await mountScreen(NcTrail, { props: { ncId: 'NC-1-2019' } })
    expect(wrapper.get('[data-testid=trail-empty]').text()).toContain('No change')
    b.ncTrail.mockRejectedValue({ code: 'replica_damaged' })
    const again = await mountScreen(NcTrail, { props: { ncId: 'NC-2-2019' } })
    expect(again.wrapper.get('[data-testid=trail-error]').text()).not.toContain('replica_damaged')
  })
})
