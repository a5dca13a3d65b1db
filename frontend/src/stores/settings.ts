import { defineStore } from 'pinia'
import { ref } from 'vue'
import * as backend from '../backend'
import { i18n, normalizeLang, type Lang } from '../i18n'
import type { CrashPrefs, ProxyInput, ProxyPrefs } from '../types'

/**
 * The UI language (the saved choice, or the system's on first start) and the proxy
 * between this computer and the Ecert server.
 */
export const useSettingsStore = defineStore('settings', () => {
  const lang = ref<Lang>(normalizeLang(i18n.global.locale.value))
  const error = ref('')

  function apply(l: Lang) {
    lang.value = l
    i18n.global.locale.value = l
    document.documentElement.lang = l === 'pt' ? 'pt-BR' : l
  }

  async function load() {
    try {
      apply(normalizeLang(await backend.language()))
    } catch (e) {
      error.value = backend.errorCode(e)
    }
  }

  /** setLanguage changes the UI at once, then saves the choice. */
  async function setLanguage(l: Lang) {
    apply(l)
    try {
      await backend.setLanguage(l)
      error.value = ''
    } catch (e) {
      error.value = backend.errorCode(e)
    }
  }

  const proxy = ref<ProxyPrefs>({ mode: '', url: '', user: '', has_password: false, source: 'direct' })

  async function loadProxy() {
    proxy.value = await backend.proxy()
  }

  /** saveProxy saves the proxy settings; a refusal (invalid_proxy) rejects with its code. */
  async function saveProxy(p: ProxyInput) {
    proxy.value = await backend.setProxy(p)
  }

  const crash = ref<CrashPrefs>({ consent: 'off', pending: 0 })

  async function loadCrash() {
    crash.value = (await backend.crashReports()) ?? crash.value
  }

  /** setCrashReports saves the user's answer (the question is then never asked again). */
  async function setCrashReports(on: boolean) {
    await backend.setCrashReports(on)
    crash.value = { ...crash.value, consent: on ? 'on' : 'off' }
  }

  return { lang, error, load, setLanguage, proxy, loadProxy, saveProxy, crash, loadCrash, setCrashReports }
})
