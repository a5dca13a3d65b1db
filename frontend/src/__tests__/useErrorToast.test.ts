import { beforeEach, describe, expect, it } from 'vitest'
import { defineComponent, h } from 'vue'
import { flushPromises } from '@vue/test-utils'
import { useErrorToast } from '../composables/useErrorToast'
import { mountScreen } from './mount'

/** A component that shows each error it is given, as the screens do when a call fails. */
function failing(errors: unknown[]) {
  return defineComponent({
    setup() {
      const showError = useErrorToast()
      return () => h('button', { 'data-testid': 'fail', onClick: () => errors.forEach(showError) }, 'go')
    },
  })
}

async function toasts(errors: unknown[], lang: 'en' | 'fr' | 'es' = 'en'): Promise<string[]> {
  const { wrapper } = await mountScreen(failing(errors), { lang })
  await wrapper.get('[data-testid=fail]').trigger('click')
  await flushPromises()
  return [...document.querySelectorAll('.n-message')].map((e) => e.textContent?.trim() ?? '')
}

beforeEach(() => {
  document.body.innerHTML = ''
})

describe('useErrorToast', () => {
  it('shows a failed call error code in plain words, in the UI language', async () => {
    expect(await toasts([new Error('unreachable')])).toEqual([
      'The Ecert server cannot be reached. Check the address and your connection; you can keep working offline.',
    ])
  })

  it('takes the code as the binding rejects it: a string or an Error', async () => {
    const got = await toasts(['not_cached', new Error('not_cached')], 'fr')
    expect(got).toHaveLength(2)
    expect(got[0]).toBe(got[1])
    expect(got[0]).not.toContain('not_cached')
  })

  it('never shows raw text: what is not a code, or a code it does not know, reads "unknown"', async () => {
    const got = await toasts([new Error('open /home/x: permission denied'), 'no_such_code_yet', undefined])
    expect(got).toHaveLength(3)
    expect(got).toEqual(Array(3).fill('An unexpected error occurred.'))
  })
})
