// Mounting a screen as the app does: Pinia, the app's i18n, a memory router and
// Naive UI's providers.
import { defineComponent, h, type Component } from 'vue'
import { mount, flushPromises } from '@vue/test-utils'
import { createPinia, setActivePinia, type Pinia } from 'pinia'
import { NConfigProvider, NDialogProvider, NMessageProvider } from 'naive-ui'
import { i18n, type Lang } from '../i18n'
import { makeRouter } from '../router'

export async function mountScreen(
  comp: Component,
  opts: { props?: Record<string, unknown>; lang?: Lang; path?: string; pinia?: Pinia } = {},
) {
  const pinia = opts.pinia ?? createPinia()
  setActivePinia(pinia)
  i18n.global.locale.value = opts.lang ?? 'en'
  const router = makeRouter(true)
  await router.push(opts.path ?? '/portal')
  await router.isReady()
  const Root = defineComponent({
    setup: () => () =>
      h(NConfigProvider, null, () =>
        h(NMessageProvider, null, () => h(NDialogProvider, null, () => h(comp, opts.props ?? {}))),
      ),
  })
  const wrapper = mount(Root, { global: { plugins: [pinia, i18n, router] }, attachTo: document.body })
  await flushPromises()
  return { wrapper, router, pinia }
}
