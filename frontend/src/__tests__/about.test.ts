import { beforeEach, describe, expect, it, vi } from 'vitest'
import { flushPromises } from '@vue/test-utils'
import * as backend from '../backend'
import StatusBar from '../components/shell/StatusBar.vue'
import { useUpdatesStore } from '../stores/updates'
import type { About, UpdateState } from '../types'
import { syncStatus } from './fixtures'
import { mountScreen } from './mount'

vi.mock('../backend', async () => (await import('./backendMock')).default)
const b = vi.mocked(backend)

function about(update: Partial<UpdateState> = {}): About {
  return {
    build: {
      version: '1.2.0',
      commit: '0123456789abcdef0123',
      date: '2026-12-04T10:00:00Z',
      webview: 'webkit2gtk-4.1',
      go: 'go1.26.0',
      os: 'linux',
      arch: 'amd64',
    },
    update: { status: 'current', current: '1.2.0', mode: 'swap', ...update },
    key: { state: 'publisher', fingerprint: '9f86d081884c7d65' },
  }
}

const q = (id: string) => document.body.querySelector(`[data-testid=${id}]`) as HTMLElement | null

async function open(a: About, lang: 'en' | 'fr' | 'es' = 'en') {
  b.about.mockResolvedValue(a)
  const m = await mountScreen(StatusBar, { lang })
  ;(m.wrapper.get('[data-testid=about-open]').element as HTMLElement).click()
  await flushPromises()
  return m
}

beforeEach(() => {
  vi.clearAllMocks()
  document.body.innerHTML = ''
  b.syncStatus.mockResolvedValue(syncStatus())
})

describe('About dialog', () => {
  it('shows the build: version, commit, build date, web view', async () => {
    await open(about())
    expect(q('about-dialog')).not.toBeNull()
    expect(q('about-version')?.textContent).toBe('1.2.0')
    expect(q('about-commit')?.textContent).toBe('0123456789ab')
    expect(q('about-date')?.textContent).not.toBe('')
    expect(q('about-webview')?.textContent).toBe('webkit2gtk-4.1')
    expect(q('about-update-status')?.textContent).toBe('You have the latest version.')
    expect(q('about-install')).toBeNull()
  })

  it('installs only on the user\'s click, where the app may replace itself', async () => {
    await open(about({ status: 'available', available: '1.3.0', total: 100 }))
    expect(q('about-update-status')?.textContent).toBe('Version 1.3.0 is available.')
    expect(b.updateInstall).not.toHaveBeenCalled()
    b.updateInstall.mockResolvedValue({ status: 'installed', current: '1.2.0', available: '1.3.0', mode: 'swap' })
    q('about-install')!.click()
    await flushPromises()
    expect(b.updateInstall).toHaveBeenCalledTimes(1)
    expect(q('about-update-status')?.textContent).toContain('1.3.0 is installed')
  })

  it('on a Linux package, says to update with the package manager and offers no install', async () => {
    await open(about({ status: 'available', available: '1.3.0', mode: 'notice', code: 'update_manual' }), 'fr')
    expect(q('about-install')).toBeNull()
    expect(q('about-manual')?.textContent).toContain('paquets du système')
  })

  it('says why a release was refused, in the user\'s language', async () => {
    await open(about({ status: 'refused', code: 'update_signature' }), 'es')
    expect(q('about-update-error')?.textContent).toContain('no está firmada por el editor')
  })

  it('a failed install shows its code in plain words and the dot follows the events', async () => {
    await open(about({ status: 'available', available: '1.3.0' }))
    expect(q('about-update-dot')).not.toBeNull()
    b.updateInstall.mockRejectedValue('update_failed_start')
    q('about-install')!.click()
    await flushPromises()
    expect(q('about-update-error')?.textContent).toContain('did not start')
    useUpdatesStore().set({ status: 'current', current: '1.2.0', mode: 'swap' })
    await flushPromises()
    expect(q('about-update-dot')).toBeNull()
  })

  it('names the key updates are verified with, or why they are off, in the user\'s language', async () => {
    await open(about())
    expect(q('about-update-key')?.textContent).toBe("Updates signed by the publisher's key 9f86d081884c7d65.")
    document.body.innerHTML = ''

    await open({ ...about({ status: 'disabled' }), key: { state: 'none', fingerprint: '' } }, 'fr')
    expect(q('about-update-key')?.textContent).toBe('Mises à jour désactivées : cette version n’a pas de clé d’éditeur.')
    expect(q('about-update-status')).toBeNull()
    expect((q('about-check') as HTMLButtonElement).disabled).toBe(true)
    document.body.innerHTML = ''

    await open({ ...about({ status: 'disabled' }), key: { state: 'test-refused', fingerprint: 'abcd' } }, 'es')
    expect(q('about-update-key')?.textContent).toContain('clave DE PRUEBA')
  })
})
