// « Mon compte »: the password change against the real server. The refusals say why; a
// change made elsewhere (another computer, through the API) sends this one back to the
// login screen saying why; offline says that it needs the connection. coop's password is
// set back to the demo's after each test (ecert-server password --allow-weak).
import { spawnSync } from 'node:child_process'
import { expect, test, type Page } from '@playwright/test'
import { login, menu, setLang, syncNow } from './helpers'
import { serverURL, startServer, stopServer } from './server'

const FIRST = 'Plantation du Mont Vert 2026'
const SECOND = 'Thé vert de Dschang, récolte 2026'

/** restoreCoop sets coop's password back to "coop" and logs the app in with it again. */
async function restoreCoop(page: Page) {
  await startServer()
  const r = spawnSync(process.env.E2E_SERVER_BIN!, ['password', '--data-dir', process.env.E2E_SERVER_DATA!, '--allow-weak', 'coop'], {
    input: 'coop\n',
    encoding: 'utf8',
  })
  if (r.status !== 0) throw new Error(`ecert-server password: ${r.stderr}`)
  if (await page.getByTestId('brand').isVisible()) await syncNow(page).catch(() => undefined)
  await expect(page.getByTestId('login-submit')).toBeVisible({ timeout: 20_000 })
  await page.getByTestId('login-password').fill('coop')
  await page.getByTestId('login-submit').click()
  await expect(page.getByTestId('brand')).toBeVisible({ timeout: 20_000 })
}

/** api calls the server as another computer would. */
async function api(path: string, body: unknown, token = '') {
  const r = await fetch(`${serverURL()}/api/v1${path}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  })
  return { status: r.status, body: r.status === 204 ? null : await r.json() }
}

async function fillPassword(page: Page, current: string, next: string, confirm = next) {
  await page.getByTestId('password-current').fill(current)
  await page.getByTestId('password-new').fill(next)
  await page.getByTestId('password-confirm').fill(confirm)
}

test.afterEach(async ({ page }) => {
  await restoreCoop(page)
})

test('le mot de passe se change dans Mon compte ; un changement ailleurs renvoie à la connexion en disant pourquoi', async ({ page }) => {
  await login(page)
  await menu(page, 'account')
  await expect(page.getByTestId('account-user')).toContainText('coop')

  // Each refusal says why, next to the button.
  await fillPassword(page, 'pas le bon', FIRST)
  await page.getByTestId('password-submit').click()
  await expect(page.getByTestId('password-error')).toContainText('Le mot de passe actuel est incorrect')
  await fillPassword(page, 'coop', 'motdepasse2024')
  await page.getByTestId('password-submit').click()
  await expect(page.getByTestId('password-error')).toContainText('trop courant')
  await fillPassword(page, 'coop', 'coop-coop-coop')
  await page.getByTestId('password-submit').click()
  await expect(page.getByTestId('password-error')).toContainText("nom d'utilisateur")

  // The change: this computer stays logged in and syncs.
  await fillPassword(page, 'coop', FIRST)
  await page.getByTestId('password-submit').click()
  await expect(page.getByTestId('password-done')).toContainText('Votre mot de passe a été modifié')
  await syncNow(page)
  await expect(page.getByTestId('brand')).toBeVisible()

  // Another computer changes it again: this one is logged out, and told why.
  const other = await api('/auth/login', { username: 'coop', password: FIRST })
  expect(other.status).toBe(200)
  expect((await api('/auth/password', { current: FIRST, new: SECOND }, other.body.access_token)).status).toBe(204)
  await page.getByTestId('sync-now').click()
  await expect(page.getByTestId('login-expired')).toContainText('modifié sur un autre ordinateur', { timeout: 20_000 })
  await page.getByTestId('login-password').fill(SECOND)
  await page.getByTestId('login-submit').click()
  await expect(page.getByTestId('brand')).toBeVisible({ timeout: 20_000 })
})

test('offline, the password change says it needs the connection (English)', async ({ page }) => {
  await login(page)
  await setLang(page, 'en')
  await menu(page, 'account')
  await expect(page.getByTestId('password-card')).toContainText('Change my password')
  await stopServer()
  try {
    await fillPassword(page, 'coop', FIRST)
    await page.getByTestId('password-submit').click()
    await expect(page.getByTestId('password-error')).toContainText('needs a connection to FLOCERT')
  } finally {
    await startServer()
    await setLang(page, 'fr')
  }
  // Nothing was changed: the old password still logs in.
  expect((await api('/auth/login', { username: 'coop', password: 'coop' })).status).toBe(200)
})
