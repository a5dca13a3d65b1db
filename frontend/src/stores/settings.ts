import { defineStore } from 'pinia'
import { ref } from 'vue'
import * as backend from '../backend'
import { i18n, normalizeLang, type Lang } from '../i18n'

/** The UI language: the saved choice, or the system's on first start. */
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

  return { lang, error, load, setLanguage }
})
