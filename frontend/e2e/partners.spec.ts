// Trade partners in the real window's backend (issue 14): the offline search of the
// directory, a partner's status and its dated proof (PDF read back from disk), then a
// supply chain: a partner added in the app, suspended by the analyst in the console's
// form, and the alert and the chain's status after the next sync. French, then Spanish.
import { test, expect, type Page } from '@playwright/test'
import { execFileSync } from 'node:child_process'
import { consoleLogin, login, menu, setLang, syncNow } from './helpers'
import { startServer, stopServer } from './server'

// A demo operator that no test suspends (sync/server/directory.Known).
const KNOWN = { flo: '27816', name: 'Domaine de Rivière Claire', country: 'MG' }

const pdfText = (path: string) => execFileSync('pdftotext', ['-enc', 'UTF-8', path, '-']).toString()

const row = (page: Page, flo: string) => page.getByTestId(`partner-${flo}`)

/**
 * search types into the partner search and, when a country is given, its filter; the
 * first sync may still be pulling the directory, so it types again until flo shows.
 */
async function search(page: Page, text: string, country: string, flo: string) {
  await expect(async () => {
    await page.getByTestId('partner-country').locator('input').fill(country)
    await page.getByTestId('partner-search').locator('input').fill('')
    await page.getByTestId('partner-search').locator('input').fill(text)
    await expect(row(page, flo)).toBeVisible({ timeout: 3_000 })
  }).toPass({ timeout: 60_000 })
}

/** saveProof clicks « proof » and returns the saved file's path that the page names. */
async function saveProof(page: Page): Promise<string> {
  await page.getByTestId('partner-proof').click()
  const saved = page.getByTestId('partner-proof-saved')
  await expect(saved).toContainText('.pdf', { timeout: 20_000 })
  const m = /(\/\S.*\.pdf)/.exec((await saved.textContent()) ?? '')
  expect(m, 'the message names the file').not.toBeNull()
  return m![1]
}

/** certifiedTrader returns the FLO ID of a certified generated operator in Germany (FLO ID ≥ 100000). */
async function certifiedTrader(page: Page, lang: 'fr' | 'es'): Promise<string> {
  const certified = lang === 'fr' ? 'Certifié' : 'Certificado'
  await page.getByTestId('partner-country').locator('input').fill('DE')
  await page.getByTestId('partner-search').locator('input').fill('GmbH')
  await expect(page.locator('[data-testid^="partner-1"]').first()).toBeVisible({ timeout: 20_000 })
  // Any of them, so that a retry after a suspension takes another one.
  const flo = await page.locator('[data-testid^="partner-"]').evaluateAll(
    (rows, want) => {
      const ids = rows
        .map((r) => ({ id: (r.getAttribute('data-testid') ?? '').replace(/^partner-/, ''), status: r.querySelector('[data-testid="partner-status"]')?.textContent?.trim() }))
        .filter((r) => /^\d{6,}$/.test(r.id) && r.status === want)
        .map((r) => r.id)
      return ids[Date.now() % Math.max(ids.length, 1)] ?? ''
    },
    certified,
  )
  expect(flo, 'a certified GmbH in Germany').toMatch(/^\d{6,}$/)
  return flo
}

test('search, status, proof and a suspended partner of a chain, in French then Spanish', async ({ page, browser }) => {
  test.setTimeout(420_000) // long on a loaded machine: the first sync pulls 30,000 operators
  await login(page)
  await menu(page, 'partners')

  // --- search: no accents, another case, a partial word; the country filter narrows ---
  await search(page, 'riviere CLA', '', KNOWN.flo)
  await expect(page.getByTestId('partner-freshness')).toContainText('Répertoire de')
  await search(page, 'RIVIÈRE', KNOWN.country, KNOWN.flo)
  await page.getByTestId('partner-country').locator('input').fill('PE')
  await expect(row(page, KNOWN.flo)).toHaveCount(0)
  // FTS syntax typed by a user is plain text: no error, no row.
  await page.getByTestId('partner-search').locator('input').fill('"rivi* OR (')
  await expect(page.getByTestId('partner-results')).toBeVisible()
  await expect(row(page, KNOWN.flo)).toHaveCount(0)
  await search(page, KNOWN.flo, '', KNOWN.flo)

  // --- the status, checked with the server, and its proof in French ---
  await row(page, KNOWN.flo).click()
  await expect(page.getByTestId('partner-detail')).toContainText(KNOWN.name)
  await expect(page.getByTestId('partner-detail-status')).toHaveText('Certifié')
  await expect(page.getByTestId('partner-checked')).toContainText('Vérifié auprès de FLOCERT')
  const fr = pdfText(await saveProof(page))
  for (const want of ['Statut de certification Fairtrade', KNOWN.name, 'FLO ID : 27816', 'CERTIFIÉ', 'Statut vérifié auprès de FLOCERT'])
    expect(fr).toContain(want)

  // --- Spanish: the page and the proof follow the UI's language ---
  await setLang(page, 'es')
  await menu(page, 'partners')
  await search(page, 'riviere cla', '', KNOWN.flo)
  await expect(page.getByTestId('partner-freshness')).toContainText('Directorio de')
  await row(page, KNOWN.flo).click()
  await expect(page.getByTestId('partner-detail-status')).toHaveText('Certificado')
  const es = pdfText(await saveProof(page))
  for (const want of ['Estado de certificación Fairtrade', KNOWN.name, 'CERTIFICADO', 'Estado comprobado con FLOCERT'])
    expect(es).toContain(want)

  // --- a name in another script: searched in Greek, its proof prints it as written ---
  await page.getByTestId('partner-country').locator('input').fill('GR')
  await page.getByTestId('partner-search').locator('input').fill('εμπορικη') // no accent, lower case
  const greek = page.locator('[data-testid^="partner-1"]').first()
  await expect(greek).toBeVisible({ timeout: 20_000 })
  await greek.click()
  const heading = ((await page.getByTestId('partner-detail').locator('h2').textContent()) ?? '').trim()
  const greekName = heading.replace(/ · FLO ID \d+$/, '')
  expect(greekName, 'a name in Greek').toMatch(/Εμπορική/)
  const el = pdfText(await saveProof(page))
  expect(el.split('\n').map((l) => l.trim())).toContain(greekName)
  expect(el).not.toContain('?')

  // --- a chain: a certified trader added, then sent by the sync ---
  const flo = await certifiedTrader(page, 'es')
  const product = `cacao e2e ${Date.now() % 100000}`
  await page.getByTestId('partner-chains').click()
  await expect(page.getByTestId('chains-view')).toBeVisible()
  await page.getByTestId('chain-add-product').locator('input').fill(product)
  await page.getByTestId('chain-add-flo').locator('input').fill(flo)
  await page.getByTestId('chain-add').click()
  const partner = page.getByTestId(`chain-${product}`).getByTestId(`chain-partner-${flo}`)
  // Kept at once (the app sends it in the background when online).
  await expect(partner.getByTestId('chain-partner-status')).toHaveText('Certificado')
  await syncNow(page)
  await menu(page, 'partners')
  await page.getByTestId('partner-chains').click()
  await expect(partner).toBeVisible()
  await expect(partner).not.toContainText('Aún sin enviar')

  // --- the analyst suspends it with the console's form ---
  const analyst = await consoleLogin(browser, 'analyst')
  try {
    await analyst.goto('/console/operators')
    await analyst.getByTestId('operator-flo').fill(flo)
    await analyst.getByTestId('operator-find').click()
    await expect(analyst.getByTestId('operator-status')).toHaveText('certified')
    await analyst.getByTestId('operator-suspend').click()
    await expect(analyst.getByTestId('operator-status')).toHaveText('suspended')
  } finally {
    await analyst.context().close()
  }

  // --- the next sync brings the alert; its link opens the chains with the new status ---
  await menu(page, 'partners')
  await syncNow(page)
  const alert = page.getByTestId('notify-chain')
  await expect(alert).toContainText(`(FLO ID ${flo}) ha sido suspendido`, { timeout: 20_000 })
  await expect(alert).toContainText(product)
  await page.getByTestId('notify-open').click()
  await expect(page.getByTestId('chains-view')).toBeVisible()
  await expect(partner.getByTestId('chain-partner-status')).toHaveText('Suspendido')
  await expect(page.getByTestId(`chain-${product}`).getByTestId('chain-at-risk')).toBeVisible()
  // The page lists it among past alerts, unseen until marked seen.
  const past = page.getByTestId(`chain-alert-${flo}`).first()
  await expect(past).toContainText(`(FLO ID ${flo}) fue suspendido el`)
  await expect(past).toHaveAttribute('data-seen', 'false')
  await page.getByTestId('chain-alerts-seen').click()
  await expect(past).toHaveAttribute('data-seen', 'true')
  await expect(page.getByTestId('chain-alerts-unseen')).toHaveCount(0)
  // Opening the chains closed the alert; a later sync does not repeat it.
  await expect(alert).toHaveCount(0)
  await syncNow(page)
  await expect(alert).toHaveCount(0)
})

test('offline, the search and the status come from the copy', async ({ page }) => {
  await login(page)
  await menu(page, 'partners')
  await search(page, 'riviere', '', KNOWN.flo) // the copy is there
  await stopServer()
  try {
    await search(page, 'CLAIRE rivi', KNOWN.country, KNOWN.flo)
    await expect(page.getByTestId('partner-freshness')).toContainText('avec ou sans connexion')
    await row(page, KNOWN.flo).click()
    await expect(page.getByTestId('partner-detail-status')).toHaveText('Certifié')
    await expect(page.getByTestId('partner-checked')).toContainText("FLOCERT n'a pas pu être interrogé", { timeout: 30_000 })
  } finally {
    await startServer()
  }
})
