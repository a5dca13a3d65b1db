import { beforeEach, describe, expect, it, vi } from 'vitest'
import { flushPromises } from '@vue/test-utils'
import * as backend from '../backend'
import ProxyPrefs from '../components/shell/ProxyPrefs.vue'
import { mountScreen } from './mount'
import type { ProxyScript } from '../types'

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

  describe('the system\'s proxy script', () => {
    const AUTO = { mode: '', url: '', user: '', has_password: false, source: 'system' }
    const cases: { name: string; script: ProxyScript; lang: 'en' | 'fr'; text: string[]; problem: boolean }[] = [
      {
        name: 'a script that is not there (404)',
        script: { url: 'http://pac.corp.example/proxy.pac', detected: false, problem: 'http_status', detail: '404' },
        lang: 'en',
        text: ['http://pac.corp.example/proxy.pac cannot be fetched', 'answered HTTP 404', 'So it is not used'],
        problem: true,
      },
      {
        name: 'a script beyond what the app evaluates, in French',
        script: { url: 'http://pac.corp.example/proxy.pac', detected: false, problem: 'unsupported', detail: '3' },
        lang: 'fr',
        text: ['ne sait pas évaluer (ligne 3)', "Il n'est donc pas utilisé"],
        problem: true,
      },
      {
        name: 'a script found on the network',
        script: { url: 'http://wpad.corp.example/wpad.dat', detected: true, problem: '', detail: '' },
        lang: 'en',
        text: ['Proxy script found on the network: http://wpad.corp.example/wpad.dat'],
        problem: false,
      },
      {
        name: 'automatic detection that found none',
        script: { url: '', detected: true, problem: 'not_detected', detail: 'wpad.home.example' },
        lang: 'en',
        text: ['Automatic detection found no proxy script on this network.'],
        problem: false,
      },
    ]
    for (const c of cases) {
      it(`says so: ${c.name}`, async () => {
        b.proxy.mockResolvedValue({ ...AUTO, script: c.script })
        await open(c.lang)
        const line = el('proxy-script')
        for (const part of c.text) expect(line.textContent).toContain(part)
        expect(line.classList.contains('script-problem')).toBe(c.problem)
      })
    }

    it('is not mentioned when the settings choose the proxy', async () => {
      b.proxy.mockResolvedValue({ ...SAVED, script: { url: 'http://pac.corp.example/proxy.pac', detected: false, problem: 'unreachable', detail: '' } })
      await open()
      expect(document.body.querySelector('[data-testid=proxy-script]')).toBeNull()
    })
  })
})
