import { beforeEach, describe, expect, it, vi } from 'vitest'
import { flushPromises } from '@vue/test-utils'
import * as backend from '../backend'
import NcListView from '../views/NcListView.vue'
import { dashboard, ncRow, syncStatus } from './fixtures'
import { emit, handlers } from './backendMock'
import { mountScreen } from './mount'
import type { ExportResult } from '../types'

vi.mock('../backend', async () => (await import('./backendMock')).default)
const b = vi.mocked(backend)

beforeEach(() => {
  vi.clearAllMocks()
  handlers.clear()
  document.body.innerHTML = ''
  b.syncStatus.mockResolvedValue(syncStatus())
  b.dashboard.mockResolvedValue(dashboard())
  b.ncs.mockResolvedValue([ncRow({ id: 'NC-1-2019' })])
})

/** A backend call that stays pending until the test settles it. */
function pending() {
  let settle!: (r: ExportResult) => void
  const p = new Promise<ExportResult>((res) => (settle = res))
  return { p, settle }
}

describe('Export of the register', () => {
  it('exports the list filter shown, with a progress bar, then says where the file went', async () => {
    const call = pending()
    b.exportRegister.mockReturnValue(call.p)
    const { wrapper } = await mountScreen(NcListView, { path: '/ncs' })
    await wrapper.get('[data-testid=filter-open]').trigger('click')
    await wrapper.get('[data-testid=export-xlsx]').trigger('click')
    expect(b.exportRegister).toHaveBeenCalledWith('xlsx', 'open', [])
    await flushPromises()
    expect(wrapper.get('[data-testid=export-progress]').text()).toBe('Preparing the export…')
    emit('export:progress', { kind: 'xlsx', done: 2500, total: 5000 })
    await flushPromises()
    expect(wrapper.get('[data-testid=export-progress]').text()).toBe('Writing NC 2500 of 5000…')
    expect(wrapper.get('[data-testid=export-pdf]').attributes('disabled')).toBeDefined()
    call.settle({ path: '/home/u/registre.xlsx', rows: 5000 })
    await flushPromises()
    expect(wrapper.find('[data-testid=export-progress]').exists()).toBe(false)
    expect(wrapper.get('[data-testid=export-result]').text()).toContain('Register saved (5000 NCs): /home/u/registre.xlsx')
    b.exportOpenLast.mockResolvedValue(undefined)
    await wrapper.get('[data-testid=export-open]').trigger('click')
    expect(b.exportOpenLast).toHaveBeenCalled()
  })

  it('exports only the NCs a search shows', async () => {
    b.ncs.mockResolvedValue([ncRow({ id: 'NC-1-2019', finding: 'Registre incomplet' }), ncRow({ id: 'NC-2-2019', finding: 'Masques' })])
    b.exportRegister.mockResolvedValue({ path: '/tmp/r.pdf', rows: 1 })
    const { wrapper } = await mountScreen(NcListView, { path: '/ncs' })
    await wrapper.get('[data-testid=nc-search]').setValue('masques')
    await flushPromises()
    await wrapper.get('[data-testid=export-pdf]').trigger('click')
    expect(b.exportRegister).toHaveBeenCalledWith('pdf', 'ca', ['NC-2-2019'])
  })

  it('says nothing when the save dialog is cancelled, and the error in French when writing fails', async () => {
    b.exportCalendar.mockResolvedValue({ path: '', rows: 0 })
    b.exportRegister.mockRejectedValue('not_writable')
    const { wrapper } = await mountScreen(NcListView, { path: '/ncs', lang: 'fr' })
    await wrapper.get('[data-testid=export-ics]').trigger('click')
    await flushPromises()
    expect(wrapper.find('[data-testid=export-result]').exists()).toBe(false)
    expect(wrapper.get('[data-testid=export-ics]').text()).toBe('Calendrier (.ics)')
    await wrapper.get('[data-testid=export-pdf]').trigger('click')
    await flushPromises()
    expect(b.exportRegister).toHaveBeenCalledWith('pdf', 'ca', [])
    expect(wrapper.get('[data-testid=export-error]').text()).toContain("Le fichier n'a pas pu être enregistré")
  })
})
