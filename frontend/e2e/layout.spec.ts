// The NC list at the widths users have (a small laptop, the app's default window, a full
// HD screen): no column is cut, none runs past the table, nothing scrolls sideways. Text
// may be shortened only with an ellipsis and a tooltip that gives it whole.
import { test, expect, type Page } from '@playwright/test'
import { demoNC, keepScreenshot, login, setLang, showNcList, type Lang } from './helpers'

const WIDTHS = [1024, 1280, 1920]

/** What is cut or overflowing in the NC table, in words (empty when all is shown). */
async function clipped(page: Page): Promise<string[]> {
  return page.getByTestId('nc-table').evaluate((table) => {
    const box = table as HTMLElement
    const problems: string[] = []
    if (box.scrollWidth > box.clientWidth + 1) {
      problems.push(`the table scrolls sideways (${box.scrollWidth} px of content in ${box.clientWidth} px)`)
    }
    const edge = box.getBoundingClientRect().right
    const heads = [...box.querySelectorAll<HTMLElement>('.vt-th')].map((th) => th.textContent ?? '')
    const cells = [...box.querySelectorAll<HTMLElement>('.vt-th, .vt-body .vt-cell')]
    cells.forEach((cell, i) => {
      const name = cell.dataset.colKey ?? `header "${heads[i] ?? i}"`
      if (cell.getBoundingClientRect().right > edge + 1) problems.push(`${name} runs past the table's edge`)
      if (cell.classList.contains('vt-cell') && cell.scrollHeight > cell.clientHeight + 1) {
        problems.push(`${name}: "${cell.textContent?.trim().slice(0, 40)}" is cut at the bottom`)
      }
      for (const el of [cell, ...cell.querySelectorAll<HTMLElement>('*')]) {
        if (el.clientWidth === 0 || el.scrollWidth <= el.clientWidth + 1) continue
        // Shortened on purpose: an ellipsis, and the whole text in a tooltip.
        const tooltip = el.closest('[title]')?.getAttribute('title') ?? ''
        if (getComputedStyle(el).textOverflow === 'ellipsis' && tooltip.trim() !== '') continue
        problems.push(`${name}: "${el.textContent?.trim().slice(0, 40)}" is cut (${el.scrollWidth} px in ${el.clientWidth} px)`)
      }
    })
    return [...new Set(problems)]
  })
}

test.describe('NC list layout', () => {
  test.beforeEach(async ({ page }) => {
    await login(page)
  })

  for (const width of WIDTHS) {
    test(`every column shows whole at ${width} px`, async ({ page }) => {
      await page.setViewportSize({ width, height: 800 })
      for (const filter of ['ca', 'evidence', 'history', 'open'] as const) {
        await showNcList(page, filter)
        if (filter === 'open') await expect(page.getByTestId('nc-row').first()).toBeVisible()
        // The table has settled to the window's width (compact or not).
        await expect.poll(() => clipped(page), { timeout: 5_000, message: `${filter} at ${width} px` }).toEqual([])
      }
      await showNcList(page, 'open')
      // The statuses and the due day are on screen, not behind a scroll.
      const row = page.getByTestId('nc-row').first()
      await expect(row.locator('[data-col-key=ca_status]')).toBeInViewport()
      await expect(row.getByTestId('days-left')).toBeInViewport()
      await keepScreenshot(page, `layout-ncs-${width}`)
    })
  }
})

/**
 * What is cut or runs out of a region (a table, a card), in words: a sideways scroll, an
 * element past the region's right edge, text cut without an ellipsis and a tooltip, an
 * e-mail address broken over two lines.
 */
async function clippedIn(page: Page, testId: string): Promise<string[]> {
  return page.getByTestId(testId).first().evaluate((region) => {
    const box = region as HTMLElement
    const problems: string[] = []
    const edge = box.getBoundingClientRect().right
    for (const el of [box, ...box.querySelectorAll<HTMLElement>('*')]) {
      if (el.clientWidth === 0 && el.scrollWidth === 0) continue
      const what = `"${(el.textContent ?? '').trim().slice(0, 40)}"`
      const style = getComputedStyle(el)
      if (style.visibility === 'hidden' || style.display === 'none') continue
      if (el.getBoundingClientRect().right > edge + 1 && (el.textContent ?? '').trim() !== '') {
        problems.push(`${what} runs past the edge`)
      }
      // A field's own text scrolls inside it, as fields do.
      const field = el instanceof HTMLInputElement || el instanceof HTMLTextAreaElement
      if (!field && el.clientWidth > 0 && el.scrollWidth > el.clientWidth + 1) {
        const scrolls = style.overflowX === 'auto' || style.overflowX === 'scroll'
        const tooltip = el.closest('[title]')?.getAttribute('title') ?? ''
        if (!scrolls && style.textOverflow === 'ellipsis' && tooltip.trim() !== '') continue
        problems.push(scrolls ? `scrolls sideways (${el.scrollWidth} px in ${el.clientWidth} px)` : `${what} is cut (${el.scrollWidth} px in ${el.clientWidth} px)`)
      }
    }
    for (const a of box.querySelectorAll<HTMLElement>('a[href^="mailto:"]')) {
      if (a.getClientRects().length > 1) problems.push(`the e-mail "${a.textContent}" breaks over two lines`)
    }
    return [...new Set(problems)]
  })
}

/**
 * The regions beyond the NC list: where to go, what must show, the region's test id, and
 * the narrowest width held to (all of them from a 1024 px window on).
 */
const REGIONS = [
  // The evidence table of the NC awaiting evidence: its status, subject field and
  // « Retirer » are not cut.
  { name: 'evidence', path: `/#/ncs/${demoNC('150424')}?tab=evidence`, ready: '[data-testid=evidence-row]', region: 'evidence-panel', from: 1024 },
  // The dashboard's latest messages stay within their card.
  { name: 'latest messages', path: '/#/portal', ready: '[data-testid=dashboard-message]', region: 'dashboard-messages', from: 1024 },
  // Contacts: e-mails whole, never broken mid-word.
  { name: 'contacts', path: '/#/contacts', ready: '[data-testid=contacts-table] a[href^="mailto:"]', region: 'contacts-table', from: 1024 },
  // Audits: every column, the service type ("Producteur - HL - …") whole.
  { name: 'audits', path: '/#/audits', ready: '[data-testid=audits-table] td', region: 'audits-table', from: 1024 },
]

/** Every language of the UI, the longest words first; French last, as the other tests expect. */
const LANGS: Lang[] = ['pt', 'es', 'en', 'fr']

test.describe('other tables and lists', () => {
  test.beforeEach(async ({ page }) => {
    await login(page)
  })

  for (const width of WIDTHS) {
    for (const r of REGIONS.filter((x) => width >= x.from)) {
      test(`${r.name} shows whole at ${width} px`, async ({ page }) => {
        await page.setViewportSize({ width, height: 800 })
        await page.goto(r.path)
        await expect(page.locator(r.ready).first()).toBeVisible()
        for (const lang of LANGS) {
          await setLang(page, lang)
          await expect
            .poll(() => clippedIn(page, r.region), { timeout: 5_000, message: `${r.name} at ${width} px in ${lang}` })
            .toEqual([])
          await keepScreenshot(page, `layout-${r.region}-${width}-${lang}`)
        }
      })
    }
  }
})
