// Cells of the long tables (the NC list, the dashboard's actions) as plain elements. A
// virtual table mounts the cells of every row that scrolls into view, up to 60 times a
// second: a component per cell (Naive UI's NTag sets some thirty style variables on each
// tag) cost more than the rest of the row, and so did asking vue-i18n for the same words
// in every row. These look like StatusTag and DaysLeft, which other screens keep.
import { h, type VNode } from 'vue'
import { formatDate, isOverdue } from '../../format'
import { enumLabel } from '../../i18n'
import { tagType } from '../common/statusTypes'
import './cells.css'

type Translate = (key: string, ...args: unknown[]) => string
type Exists = (key: string) => boolean

/**
 * Words is what the cells say, each text asked of vue-i18n once. Make one per column set:
 * the column set is rebuilt when the language changes, and with it the words.
 */
export class Words {
  private cache = new Map<string, string>()
  constructor(
    readonly t: Translate,
    private te: Exists,
  ) {}

  /** text is t(key) or, with a count, t(key, n): the plural form. */
  text(key: string, n?: number): string {
    const k = n === undefined ? key : `${key}#${n}`
    let v = this.cache.get(k)
    if (v === undefined) {
      v = n === undefined ? this.t(key) : this.t(key, n)
      this.cache.set(k, v)
    }
    return v
  }

  /** label is an enum value's label under prefix (see enumLabel). */
  label(prefix: string, value: string): string {
    const k = `${prefix}=${value}`
    let v = this.cache.get(k)
    if (v === undefined) {
      v = enumLabel(this.t, this.te, prefix, value)
      this.cache.set(k, v)
    }
    return v
  }
}

/** statusCell is StatusTag as a plain element: nothing for an empty value. */
export function statusCell(w: Words, prefix: string, value: string | null | undefined): VNode | null {
  if (!value) return null
  const label = w.label(prefix, value)
  if (!label) return null
  return h('span', { class: `cell-tag cell-tag--${tagType(value)}` }, label)
}

/** daysLeftCell is DaysLeft as a plain element: the due day, the days left under it. */
export function daysLeftCell(w: Words, due: string | null | undefined, days: number | null | undefined): VNode {
  const overdue = isOverdue(days)
  const text = typeof days !== 'number' ? '' : days < 0 ? w.text('days.overdue', -days) : w.text('days.left', days)
  // The whole text in a tooltip, for a narrow column that shortens it.
  const title = [formatDate(due), text].filter(Boolean).join(' — ')
  return h('span', { class: overdue ? 'cell-days overdue' : 'cell-days', 'data-testid': 'days-left', title }, [
    h('span', { class: 'date' }, formatDate(due)),
    text ? h('span', { class: 'days' }, text) : null,
  ])
}
