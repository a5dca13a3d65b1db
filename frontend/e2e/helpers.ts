// Helpers shared by the browser tests: the app (login, menu, NC list) and the analyst
// console of the real ecert-server (log in, read an NC's stage, make sure an NC awaits a CA).
import { expect, type Browser, type Page, type TestInfo } from '@playwright/test'
import { serverURL, startServer } from './server'

export const ORG = 'Coopérative des Planteurs du Mont Vert'
export const ORG_ID = '3542'

export const MENU_NCS = {
  fr: 'Non Conformités et Mesures Correctives',
  en: 'Non-conformities and corrective measures',
  es: 'No conformidades y medidas correctivas',
}

export type Lang = 'fr' | 'en' | 'es'

/** openApp loads the UI and waits until it chose its first screen (login or portal). */
export async function openApp(page: Page) {
  await page.goto('/')
  await expect(page.getByTestId('login-submit').or(page.getByTestId('brand'))).toBeVisible({ timeout: 20_000 })
}

export async function loggedIn(page: Page) {
  return page.getByTestId('brand').isVisible()
}

/** login opens the app and logs in as coop with the pre-filled form, in French. */
export async function login(page: Page) {
  await startServer()
  await openApp(page)
  if (!(await loggedIn(page))) {
    await page.getByTestId('login-lang-fr').click()
    const password = page.getByTestId('login-password')
    await expect(password).not.toHaveValue('')
    await page.getByTestId('login-submit').click()
  }
  await expect(page.getByTestId('brand')).toContainText(ORG, { timeout: 20_000 })
  await setLang(page, 'fr')
}

/** setLang switches the UI language with the status bar's buttons. */
export async function setLang(page: Page, lang: Lang) {
  await page.getByTestId(`lang-${lang}`).click()
  await expect(page.locator('html')).toHaveAttribute('lang', lang)
  await expect(page.getByTestId('menu-ncs')).toContainText(MENU_NCS[lang])
}

export async function menu(page: Page, key: string) {
  await page.getByTestId(`menu-${key}`).click()
}

export function ncRow(page: Page, id: string) {
  return page.locator(`[data-testid="nc-row"][data-nc-id="${id}"]`)
}

/** showNcList opens the NC list with a filter (ca, evidence, open, history). */
export async function showNcList(page: Page, filter: 'ca' | 'evidence' | 'open' | 'history') {
  await menu(page, 'ncs')
  await page.getByTestId(`filter-${filter}`).click()
  await expect(page.getByTestId(`filter-${filter}`)).toHaveAttribute('aria-pressed', 'true')
}

/**
 * openNc opens an NC from the list with the filter given. An NC the app has not
 * received yet (one confirmed by the analyst during the test) comes with a sync.
 */
export async function openNc(page: Page, id: string, filter: 'ca' | 'evidence' | 'open' | 'history' = 'ca') {
  await showNcList(page, filter)
  const row = ncRow(page, id)
  if (!(await row.isVisible())) {
    await syncNow(page)
    await showNcList(page, filter)
  }
  await row.click()
  await expect(page).toHaveURL(new RegExp(`#/ncs/${id}$`))
  await expect(page.getByTestId('nc-title')).toContainText(id)
  await expect(page.getByTestId('nc-expect-headline')).toBeVisible()
}

/** syncNow clicks « Sync now » and waits until that sync is over. */
export async function syncNow(page: Page) {
  const button = page.getByTestId('sync-now')
  await expect(button).toBeEnabled({ timeout: 20_000 })
  await button.click()
  await expect(page.getByTestId('status-syncing')).toHaveCount(0, { timeout: 20_000 })
  await expect(button).toBeEnabled({ timeout: 20_000 })
}

/** Keeps a screenshot of a screen in build/out/e2e/screens/ for people to look at. */
export async function keepScreenshot(page: Page, name: string) {
  const dir = process.env.E2E_OUT_DIR
  if (dir) await page.screenshot({ path: `${dir}/screens/${name}.png`, fullPage: true })
}

// --- the analyst console of ecert-server ---

/**
 * consoleLogin opens the console in a browser context of its own (its own cookies, so
 * an analyst and an auditor can be logged in at once) and logs in; password = username.
 * Close it with page.context().close().
 */
export async function consoleLogin(browser: Browser, user: 'analyst' | 'auditor'): Promise<Page> {
  const context = await browser.newContext({ baseURL: serverURL() })
  const page = await context.newPage()
  await page.goto('/console/login')
  await page.locator('#username').fill(user)
  await page.locator('#password').fill(user)
  await page.getByTestId('login-submit').click()
  await expect(page.getByTestId('current-user')).toContainText(`(${user})`)
  return page
}

export const consoleNcPath = (nc: string) => `/console/orgs/${ORG_ID}/ncs/${nc}`

/** consoleStage opens an NC in the console and returns its stage code. */
export async function consoleStage(page: Page, nc: string): Promise<string> {
  await page.goto(consoleNcPath(nc))
  const stage = page.getByTestId('nc-stage')
  await expect(stage).toBeVisible()
  return (await stage.getAttribute('data-stage')) ?? ''
}

/**
 * awaitingCA returns an NC of coop whose CA the analyst awaits (stage ca_requested):
 * the demo NC asked for when it still awaits one, otherwise (a retry after that NC went
 * further) a new NC that the auditor enters on audit AO-28681 and the analyst confirms.
 */
export async function awaitingCA(browser: Browser, preferred: string, info: TestInfo): Promise<string> {
  const analyst = await consoleLogin(browser, 'analyst')
  try {
    const stage = await consoleStage(analyst, preferred)
    if (stage === 'ca_requested') return preferred

    const auditor = await consoleLogin(browser, 'auditor')
    const finding = `E2E ${info.title.slice(0, 40)} — ${Date.now()}`
    let id = ''
    try {
      await auditor.goto(`/console/orgs/${ORG_ID}/audits/AO-28681`)
      const form = auditor.locator('form[name="enter-nc"]')
      await form.locator('[name="criterion_number"]').fill('1.1.0.02')
      await form.locator('[name="criterion_text"]').fill('Entered by a browser test')
      await form.locator('[name="finding"]').fill(finding)
      await auditor.getByTestId('enter-nc-submit').click()
      await expect(auditor.getByTestId('flash')).toBeVisible()
      const row = auditor.locator('tr[data-testid^="nc-NC-"]', { hasText: finding })
      id = ((await row.getAttribute('data-testid')) ?? '').replace(/^nc-/, '')
      expect(id, 'the new NC has a number').toMatch(/^NC-\d+-\d{4}$/)
    } finally {
      await auditor.context().close()
    }
    expect(await consoleStage(analyst, id)).toBe('entered')
    await analyst.getByTestId('confirm-submit').click()
    await expect(analyst.getByTestId('nc-stage')).toHaveAttribute('data-stage', 'ca_requested')
    info.annotations.push({
      type: 'fresh NC',
      description: `${preferred} is at stage ${stage} (an earlier attempt used it): using ${id}, entered and confirmed now`,
    })
    return id
  } finally {
    await analyst.context().close()
  }
}
