// The app in Chromium, against the real Go backend (Wails dev server) and a real
// ecert-server with the demo data. The Go process keeps its state between tests (login,
// local replica, language), so each test first brings the app to the state it needs.
import { test, expect, type Page } from '@playwright/test'
import { openedFiles, serverURL, startServer, stopServer } from './server'
import { demoDate, demoNC, keepScreenshot, loggedIn, login, menu, MENU_NCS, ncRow, openApp, ORG } from './helpers'

const NC_CA = demoNC('167140') // criterion 2.2.0.03, a CA is requested, due in 19 days
const NC_OVERDUE = demoNC('173086') // the demo's one overdue CA, due 6 days ago
const NC_EVIDENCE = demoNC('150424') // criterion 0.1.1.01, evidence is requested
const CERT = 'CERT Certificate web en'

const MENU_AUDITS = { fr: "Statut de l'audit", en: 'Audit status', es: 'Estado de la auditoría' }

// The sync engine retries with backoff, at most 30 s apart: allow 45 s to see it back.
const RECONNECT_MS = 45_000

async function checkNcList(page: Page) {
  await menu(page, 'ncs')
  await page.getByTestId('filter-ca').click()
  await expect(page.getByTestId('filter-ca')).toHaveAttribute('aria-pressed', 'true')
  await expect(ncRow(page, NC_CA)).toBeVisible()
  await expect(ncRow(page, NC_EVIDENCE)).toHaveCount(0)

  await page.getByTestId('filter-evidence').click()
  await expect(page.getByTestId('filter-evidence')).toHaveAttribute('aria-pressed', 'true')
  await expect(ncRow(page, NC_EVIDENCE)).toBeVisible()
  await expect(ncRow(page, NC_CA)).toHaveCount(0)
}

async function checkNcDetail(page: Page) {
  await menu(page, 'ncs')
  await page.getByTestId('filter-ca').click()
  await ncRow(page, NC_CA).click()
  await expect(page).toHaveURL(new RegExp(`#/ncs/${NC_CA}$`))
  await expect(page.getByTestId('nc-title')).toContainText(NC_CA)
  await expect(page.getByText('2.2.0.03', { exact: true })).toBeVisible()
  await expect(page.getByTestId('nc-finding')).not.toBeEmpty()

  for (const tab of ['tab-ca', 'tab-evidence', 'tab-communication']) {
    await expect(page.getByTestId(tab)).toBeVisible()
  }
  await page.getByTestId('tab-evidence').click()
  await expect(page.getByTestId('evidence-table')).toBeVisible()

  await page.getByTestId('tab-communication').click()
  const messages = page.getByTestId('nc-message')
  await expect(messages).toHaveCount(3)
  await expect(messages.filter({ hasText: 'Claire Dubois' })).toHaveCount(2)
  await expect(messages.first()).toContainText('proposer une mesure corrective')
}

/** openCertificate opens the certificate's PDF and checks the app handed a .pdf to the system. */
async function openCertificate(page: Page) {
  await menu(page, 'certificate')
  const row = page.getByTestId('certificate-row').filter({ hasText: CERT })
  await expect(row).toBeVisible()
  await expect(row).toContainText(demoDate(-330 + 3 * 365 - 1)) // valid for the three-year cycle
  const before = openedFiles().length
  await row.getByTestId('file-open').click()
  await expect
    .poll(() => openedFiles().slice(before), { message: 'the app opened the certificate PDF' })
    .toContainEqual(expect.stringMatching(/\.pdf$/i))
}

test('a wrong password shows a clear error', async ({ page }) => {
  await startServer()
  await openApp(page)
  if (await loggedIn(page)) {
    await page.getByTestId('logout').click()
  }
  await page.getByTestId('login-lang-fr').click()
  await expect(page.getByTestId('login-username')).toHaveValue('coop')
  await page.getByTestId('login-password').fill('not-the-password')
  await page.getByTestId('login-submit').click()
  await expect(page.getByTestId('login-error')).toContainText("Nom d'utilisateur ou mot de passe incorrect")
  await expect(page.getByTestId('brand')).toHaveCount(0)
})

test('login as coop shows the dashboard', async ({ page }) => {
  await startServer()
  await openApp(page)
  if (await loggedIn(page)) await page.getByTestId('logout').click()
  await page.getByTestId('login-lang-fr').click()
  // The form is pre-filled (ECERT_SERVER, ECERT_USER, ECERT_PASSWORD).
  await expect(page.getByTestId('login-server')).toHaveValue(serverURL())
  await expect(page.getByTestId('login-username')).toHaveValue('coop')
  await expect(page.getByTestId('login-password')).not.toHaveValue('')
  await page.getByTestId('login-submit').click()

  await expect(page.getByTestId('brand')).toContainText(ORG, { timeout: 20_000 })
  await expect(page.getByRole('heading', { level: 1, name: ORG })).toBeVisible()
  await expect(page.getByTestId('status-online')).toHaveAttribute('data-online', 'true', { timeout: 20_000 })
  await expect(page.getByTestId('status-user')).toContainText('Marie Ngo Bassa')

  const action = page.getByTestId('dashboard-action').filter({ hasText: NC_CA })
  await expect(action).toBeVisible()
  const due = action.getByTestId('days-left')
  // The demo is told from today: deadlines in the coming weeks, one overdue.
  await expect(due).toContainText(demoDate(19))
  await expect(due).not.toHaveClass(/\boverdue\b/)
  const late = page.getByTestId('dashboard-action').filter({ hasText: NC_OVERDUE }).getByTestId('days-left')
  await expect(late).toContainText(demoDate(-6))
  await expect(late).toHaveClass(/\boverdue\b/)
  await expect(page.getByTestId('standing')).toHaveAttribute('data-status', 'certified')
  await keepScreenshot(page, 'dashboard')
})

test('NC list filters: CAs to submit, evidence to submit', async ({ page }) => {
  await login(page)
  await checkNcList(page)
})

test('NC detail: criterion and the three tabs', async ({ page }) => {
  await login(page)
  await checkNcDetail(page)
  await keepScreenshot(page, 'nc-detail')
})

test('language FR → EN → ES changes the menu', async ({ page }) => {
  await login(page)
  for (const lang of ['fr', 'en', 'es'] as const) {
    await page.getByTestId(`lang-${lang}`).click()
    await expect(page.locator('html')).toHaveAttribute('lang', lang)
    await expect(page.getByTestId('menu-ncs')).toContainText(MENU_NCS[lang])
    await expect(page.getByTestId('menu-audits')).toContainText(MENU_AUDITS[lang])
  }
  // The choice is saved by the backend: a reload keeps Spanish.
  await page.reload()
  await expect(page.getByTestId('menu-ncs')).toContainText(MENU_NCS.es, { timeout: 20_000 })
  await page.getByTestId('lang-fr').click()
  await expect(page.getByTestId('menu-ncs')).toContainText(MENU_NCS.fr)
})

test('the certificate opens as a PDF', async ({ page }) => {
  await login(page)
  await openCertificate(page)
})

test('offline: the app keeps working, then comes back online by itself', async ({ page }) => {
  test.setTimeout(180_000)
  await login(page)
  await expect(page.getByTestId('status-online')).toHaveAttribute('data-online', 'true', { timeout: 20_000 })
  // The certificate was opened while online, so its PDF is in the local store.
  await openCertificate(page)

  await stopServer()
  try {
    await page.getByTestId('sync-now').click()
    const status = page.getByTestId('status-online')
    await expect(status).toHaveAttribute('data-online', 'false', { timeout: 20_000 })
    await expect(status).toContainText('Hors ligne')

    // Everything already synced stays readable.
    await checkNcList(page)
    await checkNcDetail(page)
    await openCertificate(page)
    await expect(status).toHaveAttribute('data-online', 'false')
  } finally {
    await startServer()
  }
  // No click: the engine's backoff retries find the server again.
  const back = Date.now()
  await expect(page.getByTestId('status-online')).toHaveAttribute('data-online', 'true', { timeout: RECONNECT_MS })
  await expect(page.getByTestId('status-online')).toContainText('En ligne')
  const secs = ((Date.now() - back) / 1000).toFixed(1)
  test.info().annotations.push({ type: 'reconnect', description: `back online ${secs}s after the server restarted` })
  console.log(`e2e: back online ${secs}s after the server restarted`)
})
