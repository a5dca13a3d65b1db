// The NC list at the widths users have (a small laptop, the app's default window, a full
// HD screen): no column is cut, none runs past the table, nothing scrolls sideways. Text
// may be shortened only with an ellipsis and a tooltip that gives it whole.
import { test, expect, type Page } from '@playwright/test'
import { keepScreenshot, login, showNcList } from './helpers'

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
