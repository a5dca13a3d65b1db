import { beforeEach, describe, expect, it, vi } from 'vitest'
import { createPinia, setActivePinia } from 'pinia'
import { flushPromises } from '@vue/test-utils'
import * as backend from '../backend'
import { useLibraryStore } from '../stores/library'
import type { LibraryFile } from '../types'
import FilesView from '../views/FilesView.vue'
import { mountScreen } from './mount'

vi.mock('../backend', async () => (await import('./backendMock')).default)
const b = vi.mocked(backend)

beforeEach(() => {
  setActivePinia(createPinia())
  vi.clearAllMocks()
})

const SHA = 'a'.repeat(64)
const payslips: LibraryFile = {
  sha256: SHA, name: 'Bulletins de paie Baham.pdf', size: 1900, media_type: 'application/pdf', kinds: ['evidence'],
  uses: [{ kind: 'evidence', id: 'PM-3542-0003', nc_id: 'NC-168802-2018', subject: 'Bulletins de paie du mois', label: '', date: '2026-12-01', state: 'submitted', code: '' }],
  ncs: ['NC-168802-2018'], cached: true, on_server: true,
}

describe('library store', () => {
  it('shows the answer to the latest search only, however the answers arrive', async () => {
    let first: (r: LibraryFile[]) => void = () => {}
    b.listFiles.mockReturnValueOnce(new Promise((resolve) => (first = resolve)))
    b.listFiles.mockResolvedValueOnce([payslips])
    const s = useLibraryStore()
    const slow = s.list({ text: 'b', kind: '' })
    await s.list({ text: 'bulletins', kind: '' })
    first([])
    await slow
    expect(s.files.map((f) => f.name)).toEqual(['Bulletins de paie Baham.pdf'])
  })

  it('keeps the error code of a failed list', async () => {
    b.listFiles.mockRejectedValueOnce(new Error('not_logged_in'))
    const s = useLibraryStore()
    await s.list({ text: '', kind: '' })
    expect(s.error).toBe('not_logged_in')
  })
})

describe('Files page', () => {
  it('says where a file is used and links it to the NC it was opened for', async () => {
    b.listFiles.mockResolvedValue([payslips])
    b.fileTargets.mockResolvedValue([{ nc_id: 'NC-150424-2019', audit_id: 'AO-38369', criterion: '0.1.1.01', linked: false }])
    b.linkFile.mockResolvedValue({ id: 'PM-x-1', already: false })
    const { wrapper, router } = await mountScreen(FilesView, { lang: 'fr', path: '/files?nc=NC-150424-2019' })
    expect(wrapper.find('[data-testid=files-for-nc]').text()).toContain('NC-150424-2019')
    const row = wrapper.find('[data-testid=file-row]')
    expect(row.find('[data-testid=file-name]').text()).toBe('Bulletins de paie Baham.pdf')
    expect(row.find('[data-testid=file-use-NC-168802-2018]').exists()).toBe(true)
    expect(row.find('[data-testid=file-uses]').text()).toContain('envoyée')
    await row.find('[data-testid=file-link]').trigger('click')
    await flushPromises()
    const confirm = document.querySelector('[data-testid=file-link-confirm]') as HTMLButtonElement
    expect(confirm.disabled).toBe(false) // the NC it came for is chosen already
    confirm.click()
    await flushPromises()
    expect(b.linkFile).toHaveBeenCalledWith('NC-150424-2019', SHA, 'Bulletins de paie du mois')
    await vi.waitFor(() => expect(router.currentRoute.value.fullPath).toBe('/ncs/NC-150424-2019?tab=evidence'), { timeout: 5000 })
    wrapper.unmount()
  })

  it('shows why a link was refused, next to the button', async () => {
    b.listFiles.mockResolvedValue([payslips])
    b.fileTargets.mockResolvedValue([{ nc_id: 'NC-150424-2019', audit_id: 'AO-38369', criterion: '0.1.1.01', linked: false }])
    b.linkFile.mockRejectedValue(new Error('file_unknown'))
    const { wrapper } = await mountScreen(FilesView, { lang: 'en', path: '/files?nc=NC-150424-2019' })
    await wrapper.find('[data-testid=file-link]').trigger('click')
    await flushPromises()
    ;(document.querySelector('[data-testid=file-link-confirm]') as HTMLButtonElement).click()
    await flushPromises()
    await vi.waitFor(() => expect(document.querySelector('[data-testid=file-link-error]')?.textContent ?? '').toContain('does not have this file'))
    wrapper.unmount()
  })
})
