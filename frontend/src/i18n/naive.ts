// Naive UI's own words (date pickers, empty tables, inputs) in the UI language.
import { dateEnUS, dateEsAR, dateFrFR, datePtBR, enUS, esAR, frFR, ptBR, type NDateLocale, type NLocale } from 'naive-ui'
import type { Lang } from '.'

/**
 * quiet drops Naive UI's generic input placeholders ("Saisir", "Please Input"): a field
 * says what to enter through its own label or placeholder, or shows nothing.
 */
function quiet(l: NLocale): NLocale {
  return { ...l, Input: { ...l.Input, placeholder: '' }, InputNumber: { ...l.InputNumber, placeholder: '' } }
}

const LOCALES: Record<Lang, { locale: NLocale; date: NDateLocale }> = {
  fr: { locale: quiet(frFR), date: dateFrFR },
  en: { locale: quiet(enUS), date: dateEnUS },
  es: { locale: quiet(esAR), date: dateEsAR },
  pt: { locale: quiet(ptBR), date: datePtBR },
}

/** naiveLocale gives Naive UI's locale and date locale for a UI language. */
export function naiveLocale(lang: Lang): { locale: NLocale; date: NDateLocale } {
  return LOCALES[lang] ?? LOCALES.en
}
