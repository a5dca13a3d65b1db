import { describe, expect, it } from 'vitest'
import { daysBetween, formatDate, formatDateTime, formatSize, formatSizePair, isOverdue, todayISO } from '../format'
import { errorCode } from '../errors'

describe('formatDate', () => {
  it.each([
    // calendar days are shown as written, whatever the time zone
    ['2019-06-01', '01/06/2019'],
    ['2023-10-14', '14/10/2023'],
    // nothing to show
    ['', ''],
    [null, ''],
    [undefined, ''],
    ['not a date', ''],
    ['0001-01-01T00:00:00Z', ''],
  ])('formatDate(%j) = %j', (input, want) => {
    expect(formatDate(input as string)).toBe(want)
  })

  it('shows a timestamp as a local day and time', () => {
    const local = new Date(2026, 10, 27, 9, 41) // 27/11/2026 09:41 local time
    expect(formatDateTime(local.toISOString())).toBe('27/11/2026 09:41')
    expect(formatDate(local.toISOString())).toBe('27/11/2026')
    expect(formatDateTime('2019-06-01')).toBe('01/06/2019')
    expect(formatDateTime('')).toBe('')
  })
})

describe('days left', () => {
  it.each([
    ['2019-05-20', '2019-06-01', 12],
    ['2019-06-01', '2019-06-01', 0],
    ['2019-06-02', '2019-06-01', -1],
    ['2019-12-31', '2020-01-01', 1],
    // across a daylight-saving change
    ['2019-03-30', '2019-04-01', 2],
    ['2019-05-20', '', null],
    ['2019-05-20', 'garbage', null],
  ])('from %s to %s', (today, due, want) => {
    expect(daysBetween(today, due)).toBe(want)
  })

  it('is overdue only below zero', () => {
    expect(isOverdue(-1)).toBe(true)
    expect(isOverdue(0)).toBe(false)
    expect(isOverdue(5)).toBe(false)
    expect(isOverdue(null)).toBe(false)
  })

  it('gives today as YYYY-MM-DD', () => {
    expect(todayISO(new Date(2026, 0, 5))).toBe('2026-01-05')
  })
})

describe('formatSize', () => {
  it('uses decimal units', () => {
    expect(formatSize(512)).toBe('512 B')
    expect(formatSize(1500)).toBe('1.5 kB')
    expect(formatSize(50_000_000)).toBe('50.0 MB')
    expect(formatSize(0)).toBe('')
  })

  it.each([
    // French counts in octets and writes a decimal comma
    ['fr', 148, '148 o'],
    ['fr', 1900, '1,9 ko'],
    ['fr', 50_000_000, '50,0 Mo'],
    ['fr', 2_500_000_000, '2,5 Go'],
    // Brazilian Portuguese: bytes, decimal comma, KB
    ['pt', 148, '148 B'],
    ['pt', 1900, '1,9 KB'],
    ['pt', 6_200_000, '6,2 MB'],
    // Spanish: decimal comma, SI units
    ['es', 148, '148 B'],
    ['es', 1900, '1,9 kB'],
    // English, and any language without its own style
    ['en', 1900, '1.9 kB'],
    ['de', 1900, '1.9 kB'],
  ])('in %s, %d bytes is %j', (lang, bytes, want) => {
    expect(formatSize(bytes, lang)).toBe(want)
  })

  it('gives progress in the total\'s unit and the language\'s decimal mark', () => {
    expect(formatSizePair(12_400_000, 50_000_000)).toEqual({ done: '12.4', total: '50.0 MB' })
    expect(formatSizePair(12_400_000, 50_000_000, 'fr')).toEqual({ done: '12,4', total: '50,0 Mo' })
    expect(formatSizePair(12_400_000, 50_000_000, 'pt')).toEqual({ done: '12,4', total: '50,0 MB' })
    expect(formatSizePair(300, 900, 'fr')).toEqual({ done: '300', total: '900 o' })
    expect(formatSizePair(0, 0, 'fr')).toEqual({ done: '0', total: '0 o' })
  })
})

describe('errorCode', () => {
  it('keeps codes and hides any other text', () => {
    expect(errorCode('unreachable')).toBe('unreachable')
    expect(errorCode(new Error('not_cached'))).toBe('not_cached')
    expect(errorCode('dial tcp 127.0.0.1:443: connection refused')).toBe('unknown')
    expect(errorCode(undefined)).toBe('unknown')
  })
})
