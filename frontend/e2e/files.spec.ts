// « Fichiers »: the organisation's files library. The coop finds a file already sent for
// one NC, sees where it is used, and links it to the NC awaiting evidence; the file shows
// there with no upload (its evidence row is attached by reference, never uploading), in
// French and in Spanish.
import { expect, test, type Page } from '@playwright/test'
import { awaitingEvidence, demoNC, login, menu, setLang, syncNow } from './helpers'

const NC_EVIDENCE = demoNC('150424') // 0.1.1.01, AO-38369, evidence requested
const FALLBACK_AUDIT = 'AO-28681'
const PAYSLIPS = 'Bulletins de paie Baham.pdf' // sent with the wages NC (168802)
const CONTRACT = 'Contrat de certification.pdf' // a document

function fileRow(page: Page, name: string) {
  return page.getByTestId('file-row').filter({ has: page.getByTestId('file-name').getByText(name, { exact: true }) })
}

/** The evidence rows of the open NC that carry a file, by name. */
function evidenceRow(page: Page, name: string) {
  return page.getByTestId('evidence-row').filter({ has: page.getByTestId('evidence-name').getByText(name, { exact: true }) })
}

test('un fichier déjà envoyé pour une NC se lie à une autre, sans nouvel envoi', async ({ page, browser }, info) => {
  await login(page)
  const { nc } = await awaitingEvidence(browser, page, NC_EVIDENCE, FALLBACK_AUDIT, info)
  await syncNow(page)
  await menu(page, 'files')
  await expect(page.getByTestId('menu-files')).toHaveText('Fichiers')
  await expect(page.locator('h1')).toHaveText('Fichiers')

  // Found by words of its name, in capitals and with accents the name does not have.
  await page.getByTestId('files-search').locator('input').fill('BULLETÍNS paie')
  await expect(page.getByTestId('file-row')).toHaveCount(1)
  const row = fileRow(page, PAYSLIPS)
  await expect(row.getByTestId(`file-use-${demoNC('168802')}`)).toBeVisible()
  await expect(row.getByTestId('file-uses')).toContainText('envoyée')
  // By the NC it serves, too.
  await page.getByTestId('files-search').locator('input').fill('nc-168802')
  await expect(fileRow(page, PAYSLIPS)).toHaveCount(1)

  await row.getByTestId('file-link').click()
  const dialog = page.getByTestId('file-link-dialog')
  await expect(dialog).toContainText('seul le lien part')
  const already = page.getByTestId('file-uses').filter({ hasText: nc })
  if ((await already.count()) === 0) {
    await page.getByTestId('file-link-target').click()
    await page.locator('.n-base-select-option').filter({ hasText: nc }).click()
    await page.getByTestId('file-link-confirm').click()
    await expect(page.getByText(`${PAYSLIPS} est lié à ${nc}, sans nouvel envoi.`)).toBeVisible()
  } else {
    await page.getByTestId('file-link-cancel').click() // an earlier attempt linked it
  }
  await expect(row.getByTestId(`file-use-${nc}`)).toBeVisible()

  // Where it is used leads to the NC, where it is evidence: attached by reference.
  await syncNow(page)
  await row.getByTestId(`file-use-${nc}`).click()
  await expect(page.getByTestId('nc-title')).toContainText(nc)
  await expect(evidenceRow(page, PAYSLIPS)).toHaveCount(1)
  await expect(evidenceRow(page, PAYSLIPS)).toHaveAttribute('data-state', 'attached', { timeout: 20_000 })
  // Once: another sync leaves one row.
  await syncNow(page)
  await expect(evidenceRow(page, PAYSLIPS)).toHaveCount(1)
})

test('los archivos también en español: vincular el contrato desde la pestaña de evidencias', async ({ page, browser }, info) => {
  await login(page)
  const { nc } = await awaitingEvidence(browser, page, NC_EVIDENCE, FALLBACK_AUDIT, info)
  // The analyst's request for evidence reaches the app with the next sync.
  await syncNow(page)
  await setLang(page, 'es')
  try {
    await menu(page, 'files')
    await expect(page.locator('h1')).toHaveText('Archivos')
    // From the NC's evidence tab: « Vincular un archivo ya enviado… ».
    await page.goto(`/#/ncs/${nc}?tab=evidence`)
    await expect(page.getByTestId('nc-title')).toContainText(nc)
    if ((await evidenceRow(page, CONTRACT).count()) === 0) {
      await page.getByTestId('evidence-link').click()
      await expect(page.getByTestId('files-for-nc')).toContainText(`Elija el archivo que quiere vincular a ${nc}.`)
      await page.getByTestId('files-kind').click()
      await page.locator('.n-base-select-option').filter({ hasText: 'Documento' }).click()
      const row = fileRow(page, CONTRACT)
      await expect(row.getByTestId('file-uses')).toContainText('Contrato de certificación')
      await row.getByTestId('file-link').click()
      await expect(page.getByTestId('file-link-dialog')).toContainText('solo se envía el vínculo')
      await page.getByTestId('file-link-confirm').click() // the NC it came from is chosen
      await expect(page.getByTestId('nc-title')).toContainText(nc)
      // Linked, it never waits for an upload: its bytes are FLOCERT's already.
      await expect(evidenceRow(page, CONTRACT)).toHaveCount(1)
      await expect(evidenceRow(page, CONTRACT)).not.toHaveAttribute('data-state', 'local')
    }
    await syncNow(page)
    await expect(evidenceRow(page, CONTRACT)).toHaveCount(1)
    await expect(evidenceRow(page, CONTRACT)).toHaveAttribute('data-state', 'attached', { timeout: 20_000 })
  } finally {
    await setLang(page, 'fr')
  }
})
