// Helpers shared by the browser tests: the app (login, menu, NC list) and the analyst
// console of the real ecert-server (log in, read an NC's stage, make sure an NC awaits a CA).
import { expect, test, type Browser, type Page, type TestInfo } from '@playwright/test'
import { serverURL, startServer } from './server'

export const ORG = 'Coopérative des Planteurs du Mont Vert'
export const ORG_ID = '3542'

export const MENU_NCS = {
  fr: 'Non Conformités et Mesures Correctives',
  en: 'Non-conformities and corrective measures',
  es: 'No conformidades y medidas correctivas',
  pt: 'Não conformidades e medidas corretivas',
}

export type Lang = 'fr' | 'en' | 'es' | 'pt'

/**
 * demoDate is the day n days from today (negative: past) as the app writes it
 * (dd/mm/yyyy): ecert-server --demo tells its story from the server's today (UTC),
 * see sync/server/demo.
 */
export function demoDate(n: number): string {
  const now = new Date()
  const d = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + n))
  const pad = (v: number) => String(v).padStart(2, '0')
  return `${pad(d.getUTCDate())}/${pad(d.getUTCMonth() + 1)}/${d.getUTCFullYear()}`
}

/** The days of the demo's audits, from today (sync/server/demo/coop.go). */
const DEMO_AUDIT_DAY: Record<string, number> = { 'AO-38369': -42, 'AO-28681': -210, 'AO-41207': -60 }
const DEMO_NC_AUDIT: Record<string, string> = {
  '167140': 'AO-38369',
  '150424': 'AO-38369',
  '172233': 'AO-38369',
  '174410': 'AO-28681',
  '168802': 'AO-28681',
  '173086': 'AO-28681',
  '131877': 'AO-28681',
  '171520': 'AO-41207',
  '171521': 'AO-41207',
}

/**
 * demoNC is the id of the demo NC of that number as ecert-server --demo names it today:
 * like the portal, NC-<number>-<year of its audit> (demo.NCID in sync/server/demo).
 */
export function demoNC(number: string): string {
  const audit = DEMO_NC_AUDIT[number]
  if (!audit) throw new Error(`the demo has no NC numbered ${number}`)
  return `NC-${number}-${demoDate(DEMO_AUDIT_DAY[audit]).slice(-4)}`
}

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
  // Brazilian Portuguese is written pt-BR in the page's lang.
  await expect(page.locator('html')).toHaveAttribute('lang', lang === 'pt' ? 'pt-BR' : lang)
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
  // English: the helpers read the console's English words; the app's tests run in French.
  const context = await browser.newContext({ baseURL: serverURL(), locale: 'en-GB' })
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

// --- evidence files (evidence.spec.ts) ---

/** What a page showed, however briefly: recorded in the page by watchScreen. */
export interface Seen {
  /** How many times an element with this test id appeared. */
  ids: Record<string, number>
  /** The texts of the notifications (testid notify), in order. */
  notify: string[]
  /** Each evidence row's successive "data-state | state text", by evidence id. */
  rows: Record<string, string[]>
  /** The data-percent values that the rows' progress bars showed. */
  percents: number[]
  /** The texts that the status bar's upload item showed. */
  uploadTexts: string[]
}

/**
 * watchScreen records in the page what appears in it (see Seen): upload progress and
 * notifications can come and go between two polls of a test. It lasts until the page
 * is reloaded; calling it again keeps what was recorded.
 */
export async function watchScreen(page: Page) {
  await page.evaluate(() => {
    const w = window as unknown as { __e2eSeen?: Seen }
    if (w.__e2eSeen) return
    const seen: Seen = { ids: {}, notify: [], rows: {}, percents: [], uploadTexts: [] }
    w.__e2eSeen = seen
    const WATCHED = ['status-upload', 'evidence-progress', 'notify', 'notify-evidence', 'send-result']
    const push = (list: string[], v: string) => {
      if (list[list.length - 1] !== v) list.push(v)
    }
    const row = (r: Element) => {
      const id = r.getAttribute('data-evidence-id') ?? '?'
      const state = r.querySelector('[data-testid="evidence-state"]')
      push((seen.rows[id] ??= []), `${r.getAttribute('data-state')} | ${(state?.textContent ?? '').trim()}`)
    }
    const look = (el: Element, added: boolean) => {
      const all = [el, ...Array.from(el.querySelectorAll('[data-testid]'))]
      for (const e of all) {
        const id = e.getAttribute('data-testid')
        if (!id) continue
        if (added && WATCHED.includes(id)) seen.ids[id] = (seen.ids[id] ?? 0) + 1
        if (added && id === 'notify') seen.notify.push((e.textContent ?? '').trim())
        if (id === 'evidence-progress') seen.percents.push(Number(e.getAttribute('data-percent')))
        if (id === 'status-upload-text') push(seen.uploadTexts, (e.textContent ?? '').trim())
        if (id === 'evidence-row') row(e)
      }
      const r = el.closest('[data-testid="evidence-row"]')
      if (r) row(r)
      const up = el.closest('[data-testid="status-upload"]')
      const text = up?.querySelector('[data-testid="status-upload-text"]')
      if (text) push(seen.uploadTexts, (text.textContent ?? '').trim())
    }
    new MutationObserver((records) => {
      for (const m of records) {
        const target = m.target instanceof Element ? m.target : m.target.parentElement
        if (m.type === 'childList') {
          m.addedNodes.forEach((n) => n instanceof Element && look(n, true))
          if (target) look(target, false)
        } else if (target) {
          look(target, false)
        }
      }
    }).observe(document.body, {
      subtree: true,
      childList: true,
      characterData: true,
      attributes: true,
      attributeFilter: ['data-state', 'data-percent'],
    })
    look(document.body, true)
  })
}

/** seen returns what watchScreen recorded so far. */
export async function seen(page: Page): Promise<Seen> {
  return page.evaluate(() => (window as unknown as { __e2eSeen: Seen }).__e2eSeen)
}

/** The stages in which the client adds evidence. */
export const EVIDENCE_STAGES = ['evidence_requested', 'evidence_returned']

/** consoleAudit opens an audit in the console and returns its status (in_evaluation, closed…). */
export async function consoleAudit(page: Page, audit: string): Promise<string> {
  await page.goto(`/console/orgs/${ORG_ID}/audits/${audit}`)
  await expect(page.getByTestId('audit-id')).toContainText(audit)
  return (await page.getByTestId('audit-status').getAttribute('data-status')) ?? ''
}

/** consoleAuditOf returns the audit of the NC the console page shows. */
export async function consoleAuditOf(page: Page): Promise<string> {
  const link = page.locator('dl.facts dt', { hasText: 'Audit' }).locator('xpath=following-sibling::dd[1]/a')
  return ((await link.textContent()) ?? '').trim()
}

/**
 * enterAndConfirm has the auditor enter a new NC of coop on an audit and the analyst
 * confirm it (stage ca_requested); it returns the NC's number.
 */
export async function enterAndConfirm(browser: Browser, audit: string, finding: string): Promise<string> {
  const auditor = await consoleLogin(browser, 'auditor')
  let id = ''
  try {
    await auditor.goto(`/console/orgs/${ORG_ID}/audits/${audit}`)
    const form = auditor.locator('form[name="enter-nc"]')
    await form.locator('[name="criterion_number"]').fill('0.1.1.01')
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
  const analyst = await consoleLogin(browser, 'analyst')
  try {
    expect(await consoleStage(analyst, id)).toBe('entered')
    await analyst.getByTestId('confirm-submit').click()
    await expect(analyst.getByTestId('nc-stage')).toHaveAttribute('data-stage', 'ca_requested')
  } finally {
    await analyst.context().close()
  }
  return id
}

/**
 * sendCA writes a CA for nc in the app (French UI), marks it ready and sends it from the
 * NC list; it returns once the server has it.
 */
export async function sendCA(page: Page, nc: string, text: string) {
  await openNcSteady(page, nc, 'ca')
  await page.getByTestId('ca-text').fill(text)
  await expect(page.getByTestId('ca-saved-state')).toHaveText('Enregistrée sur cet ordinateur')
  const ready = page.getByTestId('ca-ready')
  if ((await ready.getAttribute('aria-pressed')) !== 'true') await ready.click()
  await expect(ready).toHaveAttribute('aria-pressed', 'true')
  await showNcList(page, 'ca')
  await page.getByTestId('send-button').click()
  await expect(page.getByTestId('send-ready')).toContainText(nc)
  await page.getByTestId('send-confirm').click()
  await expect(page.getByTestId('send-dialog')).toBeHidden()
  await expect(page.getByTestId('status-pending')).toHaveCount(0, { timeout: 30_000 })
}

/**
 * awaitingEvidence returns an NC of coop whose evidence the analyst awaits, and its audit,
 * on an audit that can still be finalised:
 *   - preferred, when it awaits evidence;
 *   - preferred again, when an earlier attempt sent its evidence (evidence_submitted, or
 *     closed after the analyst accepted it): the analyst requests evidence once more;
 *   - when preferred's audit was finalised already (an earlier attempt went that far): a
 *     new NC on fallbackAudit, entered by the auditor, confirmed, its CA written and sent
 *     in the app and accepted by the analyst with "request evidence".
 * Each detour is noted in the test's annotations. No open audit left: the test is skipped.
 */
export async function awaitingEvidence(
  browser: Browser,
  page: Page,
  preferred: string,
  fallbackAudit: string,
  info: TestInfo,
): Promise<{ nc: string; audit: string }> {
  const note = (description: string) => {
    info.annotations.push({ type: 'evidence NC', description })
    console.log(`e2e: ${description}`)
  }
  const analyst = await consoleLogin(browser, 'analyst')
  try {
    const stage = await consoleStage(analyst, preferred)
    const audit = await consoleAuditOf(analyst)
    if ((await consoleAudit(analyst, audit)) !== 'closed') {
      if (EVIDENCE_STAGES.includes(stage)) return { nc: preferred, audit }
      await analyst.goto(consoleNcPath(preferred))
      if (await analyst.getByTestId('request-evidence-submit').isVisible()) {
        await analyst.getByTestId('request-evidence-submit').click()
        await expect(analyst.getByTestId('nc-stage')).toHaveAttribute('data-stage', 'evidence_requested')
        note(`${preferred} was at stage ${stage} (an earlier attempt sent its evidence): the analyst requested evidence again`)
        return { nc: preferred, audit }
      }
    }
    const fallbackStatus = await consoleAudit(analyst, fallbackAudit)
    test.skip(
      fallbackStatus === 'closed',
      `${preferred} is at stage ${stage} and its audit ${audit} as well as ${fallbackAudit} were finalised by earlier attempts: no audit left to finalise`,
    )
    const id = await enterAndConfirm(browser, fallbackAudit, `E2E evidence — ${Date.now()}`)
    await sendCA(page, id, `Registre de formation tenu à jour et signé par le gérant. (e2e ${Date.now()})`)
    await analyst.goto(consoleNcPath(id))
    await expect(analyst.getByTestId('nc-stage')).toHaveAttribute('data-stage', 'ca_submitted')
    await expect(analyst.locator('form[name="accept"] input[name="request_evidence"]')).toBeChecked()
    await analyst.getByTestId('accept-submit').click()
    await expect(analyst.getByTestId('nc-stage')).toHaveAttribute('data-stage', 'evidence_requested')
    note(
      `${preferred} is at stage ${stage} and audit ${audit} was finalised by an earlier attempt: using ${id} on ${fallbackAudit}, entered, confirmed, its CA sent and accepted with evidence requested now`,
    )
    return { nc: id, audit: fallbackAudit }
  } finally {
    await analyst.context().close()
  }
}

/**
 * closeForFinalise closes an open NC in the console with the action its stage offers: a
 * CA awaiting evaluation is accepted without requesting evidence, evidence awaiting
 * evaluation is accepted, anything else is closed. It returns what it did.
 */
export async function closeForFinalise(analyst: Page, nc: string): Promise<string> {
  const stage = await consoleStage(analyst, nc)
  let action: string
  if (stage === 'ca_submitted') {
    await analyst.locator('form[name="accept"] input[name="request_evidence"]').uncheck()
    await analyst.getByTestId('accept-submit').click()
    action = 'CA accepted, no evidence requested'
  } else if (stage === 'evidence_submitted') {
    await analyst.getByTestId('accept-evidence-submit').click()
    action = 'evidence accepted'
  } else {
    await analyst.locator('form[name="close"] textarea[name="comment"]').fill('Clôturée pour finaliser la certification (test).')
    await analyst.getByTestId('close-submit').click()
    action = 'closed'
  }
  await expect(analyst.getByTestId('flash')).toBeVisible()
  await expect(analyst.getByTestId('nc-stage')).toHaveAttribute('data-stage', 'closed')
  return `${nc} (${stage}): ${action}`
}

/**
 * openNcSteady is openNc for a list that may reload under the click: while the NC table
 * reloads (after every sync), Naive UI's loading state turns its pointer events off and a
 * click on a row is lost. It clicks again until the NC opens.
 */
export async function openNcSteady(page: Page, id: string, filter: 'ca' | 'evidence' | 'open' | 'history' = 'ca') {
  await showNcList(page, filter)
  const row = ncRow(page, id)
  if (!(await row.isVisible())) {
    await syncNow(page)
    await showNcList(page, filter)
  }
  const url = new RegExp(`#/ncs/${id}$`)
  await expect(async () => {
    if (!url.test(page.url())) await row.click({ timeout: 5_000 })
    await expect(page).toHaveURL(url, { timeout: 3_000 })
  }).toPass({ timeout: 30_000 })
  await expect(page.getByTestId('nc-title')).toContainText(id)
  await expect(page.getByTestId('nc-expect-headline')).toBeVisible()
}
