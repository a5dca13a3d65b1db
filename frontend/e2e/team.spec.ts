// Team work on two computers: the manager (coop, the app e2e.sh starts) picks a staff
// member (coop-staff, a second app on a data folder of its own) as responsible for an NC
// with an internal due date; the staff member hears of it, finds it under "Mine",
// drafts the CA and marks it ready, but cannot send (the reason is said); the manager's
// register names the responsible person. In French, then in Spanish.
import { test, expect, type Page } from '@playwright/test'
import { execFileSync } from 'node:child_process'
import { awaitingCA, demoNC, login, ncRow, openApp, openNc, setLang, showNcList, syncNow, type Lang } from './helpers'
import { startAnotherApp, type OtherApp } from './server'

const STAFF = 'Jean-Paul Essomba'

const WORDS = {
  fr: {
    notice: 'Vous êtes désormais responsable de',
    staffWhy: 'Seul le responsable de votre organisation envoie à FLOCERT',
    saved: 'Enregistrée sur cet ordinateur',
    register: 'Responsable : ' + STAFF,
    due: 'Échéance interne 30/06/2030',
  },
  es: {
    notice: 'Ahora usted es responsable de',
    staffWhy: 'Solo el responsable de su organización envía a FLOCERT',
    saved: 'Guardada en este ordenador',
    register: 'Responsable: ' + STAFF,
    due: 'Vencimiento interno 30/06/2030',
  },
} as const

// Two apps, the console and a PDF on a shared machine: more than the default two minutes.
test.describe.configure({ timeout: 300_000 })

let staffApp: OtherApp | null = null
let staff: Page

test.beforeAll(async ({ browser }) => {
  staffApp = await startAnotherApp('staff', 'coop-staff', 'coop-staff')
  const ctx = await browser.newContext({ baseURL: staffApp.url })
  staff = await ctx.newPage()
  await openApp(staff)
  await staff.getByTestId('login-lang-fr').click()
  await expect(staff.getByTestId('login-password')).not.toHaveValue('')
  await staff.getByTestId('login-submit').click()
  await expect(staff.getByTestId('brand')).toBeVisible({ timeout: 30_000 })
  await syncNow(staff)
})

test.afterAll(async () => {
  await staff?.context().close()
  await staffApp?.stop()
})

const pdfWords = (path: string) => execFileSync('pdftotext', ['-enc', 'UTF-8', path, '-']).toString().replace(/\s+/g, ' ')

for (const [lang, preferred] of [
  ['fr', demoNC('173086')],
  ['es', demoNC('174410')],
] as [Lang & keyof typeof WORDS, string][]) {
  test(`the manager assigns, the staff member drafts but cannot send, the register names them (${lang})`, async ({ page, browser }, info) => {
    const w = WORDS[lang]
    const nc = await awaitingCA(browser, preferred, info)

    // The manager assigns the NC, with an internal due date.
    await login(page)
    await setLang(page, lang)
    await openNc(page, nc, 'ca')
    // The picker offers the organisation's accounts as last synced (offline too); a
    // search by part of the name, without its accents or case, finds the person.
    await page.getByTestId('assign-who').click()
    await page.getByTestId('assign-who-search').fill('essomba')
    const option = page.locator('.n-base-select-option').filter({ hasText: `${STAFF} (coop-staff)` })
    await expect(option).toHaveCount(1)
    await expect(page.locator('.n-base-select-option').filter({ hasText: 'estate' })).toHaveCount(0)
    await option.click()
    await expect(page.getByTestId('assign-who')).toContainText(STAFF)
    await page.getByTestId('assign-due').fill('2030-06-30')
    await page.getByTestId('assign-save').click()
    // The name is known before any sync: the replica holds the organisation's accounts.
    await expect(page.getByTestId('nc-assignee')).toContainText(STAFF)
    await syncNow(page)
    await expect(page.getByTestId('nc-assignee')).toContainText(STAFF)

    // On the staff member's computer: told once, and the NC is under "Mine".
    await setLang(staff, lang)
    await syncNow(staff)
    await expect(staff.getByTestId('notify').filter({ hasText: nc })).toContainText(w.notice, { timeout: 20_000 })
    await showNcList(staff, 'ca')
    await staff.getByTestId('filter-mine').click()
    await expect(staff.getByTestId('filter-mine')).toHaveAttribute('aria-pressed', 'true')
    await expect(ncRow(staff, nc)).toBeVisible()
    expect(await staff.getByTestId('nc-row').count()).toBeGreaterThanOrEqual(1)

    // The staff member drafts and marks it ready; Send stays the manager's, and says so.
    await ncRow(staff, nc).click()
    await expect(staff.getByTestId('nc-title')).toContainText(nc)
    await expect(staff.getByTestId('nc-assignee')).toContainText(STAFF)
    await staff.getByTestId('ca-text').fill(`Formation des récolteurs (${lang}) — registre signé chaque semaine.`)
    await expect(staff.getByTestId('ca-saved-state')).toHaveText(w.saved)
    const ready = staff.getByTestId('ca-ready')
    if ((await ready.getAttribute('aria-pressed')) !== 'true') await ready.click()
    await expect(ready).toHaveAttribute('aria-pressed', 'true')
    await showNcList(staff, 'ca')
    await expect(staff.getByTestId('send-button')).toBeDisabled()
    await expect(staff.getByTestId('send-staff-why')).toContainText(w.staffWhy)

    // The manager's register names the responsible person and the internal due date.
    await showNcList(page, 'ca')
    await page.getByTestId('export-pdf').click()
    const result = page.getByTestId('export-result')
    await expect(result).toContainText(/\.pdf/, { timeout: 30_000 })
    const m = /(\/\S+\.pdf)/.exec((await result.textContent()) ?? '')
    expect(m, 'the message names the file').not.toBeNull()
    const text = pdfWords(m![1])
    expect(text).toContain(nc)
    expect(text).toContain(w.register)
    expect(text).toContain(w.due)
    await setLang(page, 'fr')
  })
}
