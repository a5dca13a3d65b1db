// The analyst console in the analyst's language (issue 13): French from the browser's
// language, Spanish or English from the chooser at the top of every page, kept from page
// to page. A change request the organisation sends is shown with the words of its
// fields and of its state, never their codes.
import { expect, test, type Page } from '@playwright/test'
import { login, menu, ORG_ID, syncNow } from './helpers'
import { serverURL } from './server'

const CONTACT = 'C-3542-02' // Samuel Fotso

async function consoleIn(page: Page) {
  await page.goto('/console/login')
  await expect(page.locator('h1')).toHaveText('Connexion')
  await page.locator('#username').fill('analyst')
  await page.locator('#password').fill('analyst')
  await page.getByTestId('login-submit').click()
  await expect(page.getByTestId('current-user')).toContainText('(analyste)')
}

test('la console de l’analyste parle français, puis espagnol ou anglais au choix', async ({ page, browser }) => {
  // The organisation asks to change a contact's phone number.
  await login(page)
  await menu(page, 'contacts')
  const phone = `+237 6${String(Date.now()).slice(-8)}`
  await page.getByTestId(`contact-change-${CONTACT}`).click()
  const form = page.getByTestId('request-form')
  await form.getByTestId('request-field-phone').fill(phone)
  await form.getByTestId('request-submit').click()
  await expect(form).toBeHidden()
  await syncNow(page)
  await expect(page.getByTestId('request-pending').filter({ hasText: phone })).toHaveCount(1, { timeout: 20_000 })

  // The analyst's browser speaks French: so does the console.
  const context = await browser.newContext({ baseURL: serverURL(), locale: 'fr-FR' })
  const analyst = await context.newPage()
  await consoleIn(analyst)
  await analyst.goto(`/console/orgs/${ORG_ID}#requests`)
  await expect(analyst.locator('html')).toHaveAttribute('lang', 'fr')
  await expect(analyst.getByTestId('lang-fr')).toHaveAttribute('aria-current', 'true')
  await expect(analyst.getByTestId('ncs').locator('thead')).toContainText('Statut MC')
  const card = analyst.locator('[data-testid^="request-CR-"]').filter({ hasText: phone.slice(-8) })
  await expect(card).toContainText(`Modification de l'interlocuteur ${CONTACT}`)
  await expect(card.locator('td[data-field="phone"]')).toHaveText('Téléphone')
  await expect(card.getByTestId('request-status')).toHaveText('en attente')
  await card.getByTestId('request-accept').click()
  await expect(analyst.getByTestId('flash')).toContainText('Demande de modification acceptée')
  const decided = analyst.locator('[data-testid^="request-CR-"]').filter({ hasText: phone.slice(-8) })
  await expect(decided.getByTestId('request-status')).toHaveText('acceptée')
  await expect(decided.getByTestId('request-status')).toHaveAttribute('data-status', 'accepted')

  // The chooser: Spanish, on this page and the next ones.
  await analyst.getByTestId('lang-es').click()
  await expect(analyst).toHaveURL(new RegExp(`/console/orgs/${ORG_ID}`))
  await expect(analyst.locator('html')).toHaveAttribute('lang', 'es')
  await expect(analyst.getByTestId('change-requests').locator('h2')).toHaveText('Solicitudes de cambio')
  await expect(decided.locator('td[data-field="phone"]')).toHaveText('Teléfono')
  await expect(decided.getByTestId('request-status')).toHaveText('aceptada')
  await analyst.getByTestId('nav-operators').click()
  await expect(analyst.locator('h1')).toHaveText('Operadores')
  await analyst.getByTestId('lang-en').click()
  await expect(analyst.locator('h1')).toHaveText('Operators')
  await expect(analyst.getByTestId('logout')).toHaveText('Log out')
  await context.close()
})
