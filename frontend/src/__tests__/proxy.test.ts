import { beforeEach, describe, expect, it, vi } from 'vitest'
import { flushPromises } from '@vue/test-utils'
import * as backend from '../backend'
import ProxyPrefs from '../components/shell/ProxyPrefs.vue'
import { mountScreen } from './mount'

vi.mock('../backend', async () => (await import('./backendMock')).default)
const b = vi.mocked(backend)

const SAVED = { mode: 'manual', url: 'http://proxy.example:3128', user: 'office', has_password: true, source: 'settings' }

function el<T extends HTMLElement = HTMLElement>(id: string): T {
  const e = document.body.querySelector(`[data-testid=${id}]`)
  if (!e) throw new Error(`no ${id}`)
  return e as T
}

function type(id: string, value: string) {
  const input = el<HTMLInputElement>(id)
  input.value = value
  input.dispatchEvent(new Event('input'))
}

describe('ProxyPrefs', () => {
  beforeEach(() => {
    vi.clearAllMocks()
    document.body.innerHTML = ''
    b.proxy.mockResolvedValue(SAVED)
  })

  async function open(lang: 'en' | 'fr' = 'en') {
    const { wrapper } = await mountScreen(ProxyPrefs, { lang })
    await wrapper.get('[data-testid=proxy-open]').trigger('click')
    await flushPromises()
    return wrapper
  }

  it('shows the saved proxy, never its password, and where the proxy in use comes from', async () => {
    await open()
    expect(el<HTMLInputElement>('proxy-url').value).toBe(SAVED.url)
    expect(el<HTMLInputElement>('proxy-user').value).toBe('office')
    expect(el<HTMLInputElement>('proxy-password').value).toBe('')
    expect(el<HTMLInputElement>('proxy-password').placeholder).toContain('leave empty to keep it')
    expect(el('proxy-source').textContent).toContain('the proxy set here')
  })

  it('keeps the saved password when none is typed, and sends a new one when typed', async () => {
    b.setProxy.mockResolvedValue(SAVED)
    await open()
    el('proxy-save').click()
    await flushPromises()
    expect(b.setProxy).toHaveBeenLastCalledWith({ mode: 'manual', url: SAVED.url, user: 'office', password: '', keep_password: true })
    expect(el('proxy-saved').textContent).toContain('Saved')

    type('proxy-password', 'n3w')
    await flushPromises()
    el('proxy-save').click()
    await flushPromises()
    expect(b.setProxy).toHaveBeenLastCalledWith({ mode: 'manual', url: SAVED.url, user: 'office', password: 'n3w', keep_password: false })
  })

  it('says in the user\'s language why an address is refused', async () => {
    b.setProxy.mockRejectedValue('invalid_proxy')
    await open('fr')
    type('proxy-url', 'ftp://x')
    await flushPromises()
    el('proxy-save').click()
    await flushPromises()
    expect(el('proxy-error').textContent).toContain("Cette adresse de proxy n'est pas valable")
  })
})
