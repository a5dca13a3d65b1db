// Change requests (« demander la mise à jour des coordonnées »): asked offline from the
// Contacts page, kept and shown beside the value they replace, sent once; the analyst
// decides in the console; the accepted value replaces the old one, a refusal says why.
import { expect, test } from '@playwright/test'
import { consoleLogin, login, menu, ORG_ID, setLang, syncNow } from './helpers'
import { startServer, stopServer } from './server'

const CONTACT = 'C-3542-02' // Samuel Fotso

test('une demande de modification faite hors ligne part une fois, et l’analyste l’accepte', async ({ page, browser }) => {
  await login(page)
  await menu(page, 'contacts')
  const phone = `+237 6${String(Date.now()).slice(-8)}`

  await stopServer()
  try {
    await page.getByTestId(`contact-change-${CONTACT}`).click()
    const form = page.getByTestId('request-form')
    await form.getByTestId('request-field-email').fill('samuel@')
    await form.getByTestId('request-submit').click()
    await expect(form.getByTestId('request-error')).toContainText('adresse e-mail')
    await form.getByTestId('request-field-email').fill('s.fotso@montvert.example')
    await form.getByTestId('request-field-phone').fill(phone)
    await form.getByTestId('request-submit').click()
    await expect(form).toBeHidden()
    await expect(page.getByTestId('request-waiting')).toContainText(phone)
    await expect(page.getByTestId('request-waiting')).toContainText('En attente d’envoi')
  } finally {
    await startServer()
  }
  await syncNow(page)
  await expect(page.getByTestId('request-pending').filter({ hasText: phone })).toHaveCount(1, { timeout: 20_000 })
  await expect(page.getByTestId('contact-request-open')).toBeVisible()

  const analyst = await consoleLogin(browser, 'analyst')
  await analyst.goto(`/console/orgs/${ORG_ID}#requests`)
  const card = analyst.locator('[data-testid^="request-CR-"]').filter({ hasText: phone.slice(-8) })
  await card.getByTestId('request-accept').click()
  await expect(analyst.locator('[data-testid^="request-CR-"]').filter({ hasText: phone.slice(-8) })).toContainText('accepted')
  await analyst.context().close()

  await syncNow(page)
  await expect(page.getByTestId('notify').filter({ hasText: 'a accepté votre demande' }).first()).toBeVisible({ timeout: 20_000 })
  await expect(page.getByTestId('contacts-table')).toContainText(phone)
  await expect(page.getByTestId('request-accepted').filter({ hasText: phone })).toHaveCount(1)
})

test('a refused master-data request says why, in Spanish', async ({ page, browser }) => {
  await login(page)
  await setLang(page, 'es')
  try {
    await menu(page, 'master-data')
    const site = `https://www.montvert-${Date.now()}.example`
    await page.getByTestId('org-change').click()
    await page.getByTestId('request-field-website').fill(site)
    await page.getByTestId('request-submit').click()
    await syncNow(page)
    await expect(page.getByTestId('request-pending').filter({ hasText: site })).toHaveCount(1, { timeout: 20_000 })

    const analyst = await consoleLogin(browser, 'analyst')
    await analyst.goto(`/console/orgs/${ORG_ID}#requests`)
    const card = analyst.locator('[data-testid^="request-CR-"]').filter({ hasText: site })
    await card.locator('input[name="comment"]').nth(1).fill('El sitio aún no está en línea.')
    await card.getByTestId('request-refuse').click()
    await analyst.context().close()

    await syncNow(page)
    await expect(page.getByTestId('notify').filter({ hasText: 'rechazó su solicitud' }).first()).toBeVisible({ timeout: 20_000 })
    await expect(page.getByTestId('request-refused').filter({ hasText: site })).toContainText('El sitio aún no está en línea.')
  } finally {
    await setLang(page, 'fr')
  }
})
