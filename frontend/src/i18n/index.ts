import { createI18n } from 'vue-i18n'
import fr from './fr.json'
import en from './en.json'
import es from './es.json'
import pt from './pt.json'

export const LANGS = ['fr', 'en', 'es', 'pt'] as const
export type Lang = (typeof LANGS)[number]

export const messages = { fr, en, es, pt }

/** normalizeLang maps "fr-FR", "ES", … to a supported language; English otherwise. */
export function normalizeLang(lang: string | null | undefined): Lang {
  const l = (lang ?? '').slice(0, 2).toLowerCase()
  return (LANGS as readonly string[]).includes(l) ? (l as Lang) : 'en'
}

export function makeI18n(locale: Lang = 'fr') {
  return createI18n({
    legacy: false,
    locale,
    fallbackLocale: 'en',
    messages,
    missingWarn: false,
    fallbackWarn: false,
  })
}

/** The app's i18n instance; tests make their own with makeI18n. */
export const i18n = makeI18n()

type Translate = (key: string, ...args: unknown[]) => string
type Exists = (key: string) => boolean

/** errorText shows an error code in plain words; unknown codes say "errors.unknown". */
export function errorText(t: Translate, te: Exists, code: string | null | undefined): string {
  if (!code) return ''
  const key = `errors.${code}`
  return te(key) ? t(key) : t('errors.unknown')
}

/**
 * enumLabel translates an enum value from the backend (a stage, a status, a type) under
 * `prefix`; a value this version does not know is shown as it is.
 */
export function enumLabel(t: Translate, te: Exists, prefix: string, value: string | null | undefined): string {
  const v = value ?? ''
  const key = `${prefix}.${v === '' ? 'none' : v}`
  return te(key) ? t(key) : v
}
