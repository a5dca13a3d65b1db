import { beforeEach, describe, expect, it, vi } from 'vitest'
import { flushPromises } from '@vue/test-utils'
import * as backend from '../backend'
import CrashConsent from '../components/shell/CrashConsent.vue'
import { mountScreen } from './mount'
import { useSettingsStore } from '../stores/settings'

vi.mock('../backend', async () => (await import('./backendMock')).default)
const b = vi.mocked(backend)

describe('CrashConsent', () => {
  beforeEach(() => {
    vi.clearAllMocks()
    document.body.innerHTML = ''
    b.setCrashReports.mockResolvedValue(undefined)
  })

  const dialog = () => document.body.querySelector('[data-testid=crash-consent]')

  it('asks once a report is kept, and saves the answer', async () => {
    b.crashReports.mockResolvedValue({ consent: '', pending: 1 })
    await mountScreen(CrashConsent, { lang: 'fr' })
    await flushPromises()
    expect(dialog()?.textContent).toContain('Nous aider à corriger les plantages')
    expect(dialog()?.textContent).toContain('aucun de vos textes')
    ;(document.body.querySelector('[data-testid=crash-consent-yes]') as HTMLElement).click()
    await flushPromises()
    expect(b.setCrashReports).toHaveBeenCalledWith(true)
    expect(useSettingsStore().crash.consent).toBe('on') // the dialog's condition: asked no more
  })

  it('does not ask without a report, nor again once answered', async () => {
    b.crashReports.mockResolvedValue({ consent: '', pending: 0 })
    await mountScreen(CrashConsent)
    await flushPromises()
    expect(dialog()).toBeNull()

    document.body.innerHTML = ''
    b.crashReports.mockResolvedValue({ consent: 'off', pending: 3 })
    await mountScreen(CrashConsent)
    await flushPromises()
    expect(dialog()).toBeNull()
  })
})
