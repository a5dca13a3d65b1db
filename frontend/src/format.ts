// Dates as the portal shows them, in every language: dd/mm/yyyy, and HH:mm for instants.

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/
const pad = (n: number) => String(n).padStart(2, '0')

/** Parses a timestamp (RFC 3339); null when empty or invalid. */
function parseInstant(s: string | null | undefined): Date | null {
  if (!s) return null
  const d = new Date(s)
  if (Number.isNaN(d.getTime()) || d.getUTCFullYear() <= 1) return null // Go's zero time
  return d
}

/**
 * formatDate shows a calendar day ("2019-06-01") or a timestamp as dd/mm/yyyy. A day is
 * shown as it is written, never shifted by the time zone; a timestamp in local time.
 * Empty or invalid input gives "".
 */
export function formatDate(s: string | null | undefined): string {
  if (!s) return ''
  const m = DAY.exec(s)
  if (m) return `${m[3]}/${m[2]}/${m[1]}`
  const d = parseInstant(s)
  if (!d) return ''
  return `${pad(d.getDate())}/${pad(d.getMonth() + 1)}/${d.getFullYear()}`
}

/** formatDateTime shows a timestamp as dd/mm/yyyy HH:mm in local time. */
export function formatDateTime(s: string | null | undefined): string {
  if (!s) return ''
  if (DAY.test(s)) return formatDate(s)
  const d = parseInstant(s)
  if (!d) return ''
  return `${formatDate(s)} ${pad(d.getHours())}:${pad(d.getMinutes())}`
}

/**
 * daysBetween counts whole days from `today` to `due` (both "YYYY-MM-DD"):
 * positive when due is ahead, 0 on the day, negative when overdue. Null when either
 * is not a calendar day.
 */
export function daysBetween(today: string, due: string | null | undefined): number | null {
  if (!due) return null
  const a = DAY.exec(today)
  const b = DAY.exec(due)
  if (!a || !b) return null
  const t = Date.UTC(+a[1], +a[2] - 1, +a[3])
  const d = Date.UTC(+b[1], +b[2] - 1, +b[3])
  return Math.round((d - t) / 86_400_000)
}

/** isOverdue is true when a days-left count is below zero. */
export function isOverdue(daysLeft: number | null | undefined): boolean {
  return typeof daysLeft === 'number' && daysLeft < 0
}

/** todayISO is the local calendar day as "YYYY-MM-DD". */
export function todayISO(now: Date = new Date()): string {
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`
}

/**
 * Units and decimal mark of sizes as each language writes them: French counts in octets
 * ("148 o", "1,9 ko"); Portuguese and Spanish use a decimal comma. English is the fallback.
 */
const SIZE_STYLE: Record<string, { units: string[]; comma: boolean }> = {
  en: { units: ['B', 'kB', 'MB', 'GB', 'TB'], comma: false },
  fr: { units: ['o', 'ko', 'Mo', 'Go', 'To'], comma: true },
  es: { units: ['B', 'kB', 'MB', 'GB', 'TB'], comma: true },
  pt: { units: ['B', 'KB', 'MB', 'GB', 'TB'], comma: true },
}

const sizeStyle = (lang: string | undefined) => SIZE_STYLE[lang ?? 'en'] ?? SIZE_STYLE.en

/** sizeParts splits a byte count into a value with one decimal (or whole bytes) and a unit index. */
function sizeParts(bytes: number): { value: number; unit: number } {
  if (bytes < 1000) return { value: bytes, unit: 0 }
  let v = bytes / 1000
  let i = 1
  while (v >= 1000 && i < 4) {
    v /= 1000
    i++
  }
  return { value: v, unit: i }
}

function decimal(v: number, comma: boolean): string {
  const s = v.toFixed(1)
  return comma ? s.replace('.', ',') : s
}

/** formatSize shows a byte count with one decimal (kB, MB, GB) in `lang`'s way; "" for none. */
export function formatSize(bytes: number | null | undefined, lang?: string): string {
  if (!bytes || bytes < 0) return ''
  const st = sizeStyle(lang)
  const { value, unit } = sizeParts(bytes)
  if (unit === 0) return `${value} ${st.units[0]}`
  return `${decimal(value, st.comma)} ${st.units[unit]}`
}

/**
 * formatSizePair shows how much of a total is done in the total's unit: done "12.4",
 * total "50.0 MB" (for "12.4 of 50.0 MB").
 */
export function formatSizePair(done: number, total: number, lang?: string): { done: string; total: string } {
  const st = sizeStyle(lang)
  if (!total || total < 0) return { done: '0', total: `0 ${st.units[0]}` }
  const t = formatSize(total, lang)
  const d = Math.max(0, Math.min(done || 0, total))
  const { unit } = sizeParts(total)
  if (unit === 0) return { done: String(Math.round(d)), total: t }
  return { done: decimal(d / 1000 ** unit, st.comma), total: t }
}
