import { beforeEach, describe, expect, it, vi } from 'vitest'
import { flushPromises } from '@vue/test-utils'
import * as backend from '../backend'
import RequestForm from '../components/requests/RequestForm.vue'
import { mountScreen } from './mount'

vi.mock('../backend', async () => (await import('./backendMock')).default)
const b = vi.mocked(backend)

function el<T extends HTMLElement = HTMLElement>(id: string): T {
  const e = document.body.querySelector(`[data-testid=${id}]`)
  if (!e) throw new Error(`no ${id}`)
  return e as T
}

describe('RequestForm', () => {
  beforeEach(() => {
    vi.clearAllMocks()
    document.body.innerHTML = ''
  })

  it('sends only what changed, and shows a refusal next to its button in French', async () => {
    b.requestPropose.mockRejectedValueOnce('invalid_email')
    const current = { name: 'Samuel Fotso', role: 'Président', email: 's.fotso@montvert.example', phone: '+237 699 80 12 33' }
    await mountScreen(RequestForm, { lang: 'fr', props: { show: true, target: 'contact', action: 'update', targetId: 'C-3542-02', current } })
    const input = el<HTMLInputElement>('request-field-email')
    input.value = 'samuel@'
    input.dispatchEvent(new Event('input'))
    await flushPromises()
    el('request-submit').click()
    await flushPromises()
    expect(b.requestPropose).toHaveBeenCalledWith(expect.objectContaining({ target_id: 'C-3542-02', fields: { email: 'samuel@' } }))
    expect(el('request-error').textContent).toContain('adresse e-mail')
  })
})
