// « Messages à FLOCERT » on the Contacts page: the general thread with the analyst, about
// no NC. Written offline, it goes once; the analyst answers from the console; the reply
// comes back into the thread with a notification.
import { expect, test } from '@playwright/test'
import { consoleLogin, login, menu, ORG_ID, setLang, syncNow } from './helpers'
import { startServer, stopServer } from './server'

test('un message à FLOCERT écrit hors ligne part une fois, et la réponse de l’analyste revient', async ({ page, browser }) => {
  await login(page)
  await menu(page, 'contacts')
  await expect(page.getByTestId('general-section')).toContainText('Messages à FLOCERT')
  const text = `Notre trésorier a changé (${Date.now()}) : à qui envoyer le nouveau RIB ?`

  await stopServer()
  try {
    await page.getByTestId('general-message-text').fill(text)
    await page.getByTestId('general-message-send').click()
    await expect(page.getByTestId('general-message-pending')).toContainText(text)
  } finally {
    await startServer()
  }
  await syncNow(page)
  await expect(page.getByTestId('general-message-pending')).toHaveCount(0, { timeout: 20_000 })
  await expect(page.getByTestId('general-message').filter({ hasText: text })).toHaveCount(1)

  // The analyst reads it on the organisation's page and answers there.
  const analyst = await consoleLogin(browser, 'analyst')
  await analyst.goto(`/console/orgs/${ORG_ID}`)
  await expect(analyst.getByTestId('general-thread')).toContainText(text)
  const reply = `Envoyez-le à votre analyste, merci (${Date.now()}).`
  await analyst.locator('form[name="general-message"] textarea').fill(reply)
  await analyst.getByTestId('general-message-submit').click()
  await expect(analyst.getByTestId('general-thread')).toContainText(reply)
  await analyst.context().close()

  await syncNow(page)
  await expect(page.getByTestId('notify').filter({ hasText: 'FLOCERT a répondu' }).first()).toBeVisible({ timeout: 20_000 })
  await expect(page.getByTestId('general-message').filter({ hasText: reply })).toHaveCount(1)
  // Exactly once: the sent message is in the thread a single time, after another sync.
  await syncNow(page)
  await expect(page.getByTestId('general-message').filter({ hasText: text })).toHaveCount(1)
})

test('the general thread speaks Spanish too', async ({ page }) => {
  await login(page)
  await setLang(page, 'es')
  try {
    await menu(page, 'contacts')
    await expect(page.getByTestId('general-section')).toContainText('Mensajes a FLOCERT')
    const text = `Pregunta sobre el contrato (${Date.now()})`
    await page.getByTestId('general-message-text').fill(text)
    await page.getByTestId('general-message-send').click()
    await syncNow(page)
    await expect(page.getByTestId('general-message').filter({ hasText: text })).toHaveCount(1)
  } finally {
    await setLang(page, 'fr')
  }
})
