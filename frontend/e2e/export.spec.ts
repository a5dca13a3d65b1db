// Exports from the NC list, in the real window's backend: the register as XLSX and PDF
// and the deadlines calendar, saved where the save dialog answers (the dev build's
// ECERT_E2E_SAVE_DIR stands in for the native dialog), read back from disk.
import { test, expect, type Page } from '@playwright/test'
import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { ORG, login, setLang, showNcList } from './helpers'
import { openedFiles } from './server'

/** exportFile clicks an export button and returns the path the success message names. */
async function exportFile(page: Page, button: 'xlsx' | 'pdf' | 'ics', saved: RegExp): Promise<string> {
  await page.getByTestId(`export-${button}`).click()
  const result = page.getByTestId('export-result')
  await expect(result).toContainText(saved, { timeout: 30_000 })
  const m = /(\/\S+\.(xlsx|pdf|ics))/.exec((await result.textContent()) ?? '')
  expect(m, 'the message names the file').not.toBeNull()
  return m![1]
}

const pdfText = (path: string) => execFileSync('pdftotext', ['-enc', 'UTF-8', path, '-']).toString()

/** The NC numbers the list shows (the coop has few: all rows are drawn). */
async function listed(page: Page): Promise<string[]> {
  await expect(page.getByTestId('nc-row').first()).toBeVisible()
  return page.getByTestId('nc-row').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-nc-id') ?? ''))
}

test('the register and the calendar are saved in French, then in Spanish', async ({ page }) => {
  await login(page)
  await showNcList(page, 'ca')
  const ids = await listed(page)

  // French: the workbook, then the PDF with the list's NCs, the organisation and page numbers.
  const xlsx = await exportFile(page, 'xlsx', /Registre enregistré \(\d+ NC\)/)
  expect(xlsx).toMatch(/registre-NC-\d{4}-\d{2}-\d{2}\.xlsx$/)
  expect(readFileSync(xlsx).subarray(0, 2).toString()).toBe('PK') // a zip, as XLSX files are
  const pdf = await exportFile(page, 'pdf', /Registre enregistré/)
  const fr = pdfText(pdf)
  for (const want of ['Registre des non-conformités et mesures correctives', 'Liste : MC à mettre en place', ORG, 'Page 1 / '])
    expect(fr).toContain(want)
  for (const id of ids) expect(fr).toContain(id)
  // « Ouvrir » opens that file with the system's program.
  await page.getByTestId('export-open').click()
  await expect.poll(() => openedFiles()).toContain(pdf)

  // Spanish: the register follows the UI's language.
  await setLang(page, 'es')
  await showNcList(page, 'ca')
  const pdfEs = await exportFile(page, 'pdf', /Registro guardado \(\d+ NC\)/)
  expect(pdfEs).toMatch(/registro-NC-.*\.pdf$/)
  const es = pdfText(pdfEs)
  for (const want of ['Registro de no conformidades y medidas correctivas', 'Lista: MC por presentar', 'Página 1 / '])
    expect(es).toContain(want)
  for (const id of ids) expect(es).toContain(id)

  // The calendar: all-day deadlines with stable UIDs.
  const ics = await exportFile(page, 'ics', /Calendario guardado \(\d+ plazos\)/)
  const cal = readFileSync(ics).toString()
  expect(cal.startsWith('BEGIN:VCALENDAR\r\n')).toBe(true)
  expect(cal).toContain('UID:next-audit.3542@ecert-desktop')
  expect(cal).toMatch(/DTSTART;VALUE=DATE:\d{8}/)
  await setLang(page, 'fr')
})
