// Evidence files end to end: the coop adds files to an NC awaiting evidence with « Add
// files… » (the native dialog answers build/scripts/e2e.sh's fixtures: a 3 MB PDF and a
// small PNG), watches them upload, describes one, marks the evidence ready and sends it;
// the analyst sees the files in the console, accepts them, closes the audit's other NCs
// and finalises the certification; the app announces the closure and lists the new
// certificate, whose PDF opens.
//
// One app page for the whole suite, so that what shows only briefly (upload progress, a
// notification brought by a sync) is seen by watchScreen. Serial: a failure retries the
// suite from the start, and awaitingEvidence copes with what an earlier attempt left.
import { test, expect, type Page } from '@playwright/test'
import { newRandomBytes, openedFiles, pickedFiles, sha256Of } from './server'
import {
  awaitingEvidence,
  closeForFinalise,
  consoleAudit,
  consoleLogin,
  consoleNcPath,
  demoNC,
  keepScreenshot,
  login,
  menu,
  ncRow,
  openNcSteady,
  ORG_ID,
  seen,
  showNcList,
  syncNow,
  watchScreen,
} from './helpers'

const NC_EVIDENCE = demoNC('150424') // 0.1.1.01, AO-38369, evidence requested
const FALLBACK_AUDIT = 'AO-28681' // for a new NC when AO-38369 was finalised already

// The app's words (French), as the i18n files have them.
const W = {
  uploaded: 'Téléchargé',
  attached: 'Joint',
  readyHeadline: 'Prête à envoyer (✓) — cliquez sur « Envoyer » dans la liste des NC',
  readyHint: 'Prête à envoyer — partira avec « Envoyer »',
  submittedHeadline: "Preuves envoyées — en attente d'évaluation",
  submittedState: 'Envoyé à FLOCERT',
  acceptedState: 'Envoyé — accepté',
  closedHeadline: 'Clôturée',
  notifyClosed: (id: string) => `${id} : la non-conformité est clôturée`,
}

test.describe.configure({ mode: 'serial' })

test.describe('evidence files: add, upload, send; the analyst accepts and finalises; the new certificate', () => {
  let page: Page
  /** The NC and audit this attempt works on (awaitingEvidence). */
  let nc = ''
  let audit = ''
  /** The files this attempt attached: evidence id → file name, and their SHA-256. */
  let files: { id: string; name: string; sha: string }[] = []
  let certificatesBefore: string[] = []
  const subject = `Registre de formation signé par les 12 travailleurs (e2e ${Date.now()})`

  test.beforeAll(async ({ browser }, info) => {
    const use = info.project.use
    const context = await browser.newContext({
      baseURL: use.baseURL,
      viewport: use.viewport,
      locale: use.locale,
      timezoneId: use.timezoneId,
    })
    page = await context.newPage()
  })

  test.afterEach(async ({}, info) => {
    if (info.status !== info.expectedStatus && page && !page.isClosed()) {
      await info.attach('app', { body: await page.screenshot({ fullPage: true }), contentType: 'image/png' })
      await info.attach('seen', { body: JSON.stringify((await seen(page).catch(() => null)) ?? null, null, 2), contentType: 'application/json' })
    }
  })

  test.afterAll(async () => {
    await page?.context().close()
  })

  test('coop adds a 3 MB PDF and a PNG, describes one, marks the evidence ready and sends it', async ({ browser }, info) => {
    test.setTimeout(240_000)
    await login(page)
    await watchScreen(page)
    certificatesBefore = await certificateNumbers(page)
    ;({ nc, audit } = await awaitingEvidence(browser, page, NC_EVIDENCE, FALLBACK_AUDIT, info))

    const picked = pickedFiles()
    expect(picked, 'ECERT_E2E_PICK lists the PDF and the PNG').toHaveLength(2)
    // New bytes for the PDF at each attempt: the server never saw them, so it is uploaded.
    newRandomBytes(picked[0])
    const names = picked.map((p) => p.slice(p.lastIndexOf('/') + 1))
    const shas = picked.map((p) => sha256Of(p))

    await openNcSteady(page, nc, 'evidence')
    await expect(page.getByTestId('nc-expect-headline')).toContainText(
      /preuves matérielles demandées|Preuves retournées|Prête à envoyer|En file d'envoi/,
    )
    // An earlier attempt may have left it marked ready: unmark it, so that marking is seen.
    const ready = page.getByTestId('evidence-ready')
    if ((await ready.getAttribute('aria-pressed')) === 'true') {
      await ready.click()
      await expect(ready).toHaveAttribute('aria-pressed', 'false')
    }
    await page.getByTestId('tab-evidence').click()
    await expect(page.getByTestId('evidence-panel')).toBeVisible()
    const rows = page.getByTestId('evidence-row')
    const idsBefore = await evidenceIds(page)

    // « Add files… »: the dialog answers the two fixtures.
    const added = Date.now()
    await page.getByTestId('evidence-add').click()
    const result = page.getByTestId('evidence-result')
    await expect(result).toBeVisible()
    await expect(result.getByTestId('evidence-result-ok')).toHaveCount(2)
    await expect(result.getByTestId('evidence-result-refused')).toHaveCount(0)
    for (const name of names) await expect(result).toContainText(name)

    // The two new rows, listed at once.
    await expect.poll(async () => (await evidenceIds(page)).filter((id) => !idsBefore.includes(id)).length).toBe(2)
    const newIds = (await evidenceIds(page)).filter((id) => !idsBefore.includes(id))
    files = []
    for (const id of newIds) {
      const name = ((await evidenceRow(page, id).getByTestId('evidence-name').textContent()) ?? '').trim()
      const i = names.indexOf(name)
      expect(i, `row ${id} is one of the files added (${name})`).toBeGreaterThanOrEqual(0)
      files.push({ id, name, sha: shas[i] })
    }
    expect(files.map((f) => f.name).sort()).toEqual([...names].sort())
    const pdf = files.find((f) => f.name.endsWith('.pdf'))!
    await expect(evidenceRow(page, pdf.id).getByTestId('evidence-size')).toContainText('3')
    const png = files.find((f) => f.name.endsWith('.png'))!
    await expect(evidenceRow(page, png.id).getByTestId('evidence-thumb')).toBeVisible()

    // Uploaded, then attached: the server has them.
    for (const f of files) {
      await expect(evidenceRow(page, f.id)).toHaveAttribute('data-state', 'attached', { timeout: 45_000 })
      await expect(evidenceRow(page, f.id).getByTestId('evidence-state')).toHaveText(W.attached)
    }
    const attachedSecs = ((Date.now() - added) / 1000).toFixed(1)
    const s = await seen(page)
    const observed =
      `attached ${attachedSecs}s after « Add files… »; status-upload shown ${s.ids['status-upload'] ?? 0}×` +
      ` (texts: ${JSON.stringify(s.uploadTexts)}), row progress bars ${s.ids['evidence-progress'] ?? 0}×` +
      ` (percents: ${JSON.stringify([...new Set(s.percents)])}); states: ` +
      files.map((f) => `${f.name}: ${(s.rows[f.id] ?? []).join(' → ')}`).join('; ')
    info.annotations.push({ type: 'upload', description: observed })
    console.log(`e2e: ${observed}`)
    // The 3 MB upload takes well under a second here: the status bar's item is shown for
    // the run (the first progress event comes before the first byte), the row's bar only
    // when a progress event finds the row already listed.
    expect(s.ids['status-upload'] ?? 0, 'the status bar showed the upload at least once').toBeGreaterThan(0)
    expect(s.uploadTexts.join('\n')).toMatch(/Envoi de \d fichiers? — /)
    await expect(page.getByTestId('status-upload')).toHaveCount(0)

    // A subject, saved on Enter.
    const subjectInput = evidenceRow(page, pdf.id).getByTestId('evidence-subject')
    await subjectInput.fill(subject)
    await subjectInput.press('Enter')
    await expect(page.getByTestId('status-pending')).toHaveCount(0, { timeout: 30_000 })
    await keepScreenshot(page, 'evidence-attached')

    // « Ready to send ».
    await expect(ready).toBeEnabled()
    await ready.click()
    await expect(ready).toHaveAttribute('aria-pressed', 'true')
    await expect(page.getByTestId('evidence-ready-hint')).toHaveText(W.readyHint)
    await expect(page.getByTestId('nc-expect-headline')).toContainText(W.readyHeadline)

    // The list: ✓ in the row; « Send » and its dialog.
    await showNcList(page, 'evidence')
    await expect(ncRow(page, nc).getByTestId('nc-ready-mark')).toBeVisible()
    await page.getByTestId('send-button').click()
    const dialog = page.getByTestId('send-dialog')
    await expect(dialog).toBeVisible()
    await expect(page.getByTestId('send-ready')).toContainText(nc)
    await expect(page.getByTestId('send-not-ready')).not.toContainText(nc)
    await expect(page.getByTestId('send-no-files')).toHaveCount(0)
    await expect(page.getByTestId('send-uploading')).toHaveCount(0)
    info.annotations.push({
      type: 'send dialog',
      description: `confirm text: « ${await page.getByTestId('send-confirm-text').textContent()} »`,
    })
    // Evidence is never called a corrective measure.
    await expect(page.getByTestId('send-confirm-text')).toContainText('preuves matérielles')
    await expect(page.getByTestId('send-confirm-text')).not.toContainText('mesure corrective')
    await keepScreenshot(page, 'evidence-send-dialog')
    await page.getByTestId('send-confirm').click()
    await expect(dialog).toBeHidden()
    const sent = page.getByTestId('send-result')
    await expect(sent).toHaveText(/^(Envoyé : les preuves matérielles de \d+ non-conformités?|En file d'envoi)/)
    info.annotations.push({ type: 'send result', description: `« ${await sent.textContent()} »` })
    await expect(page.getByTestId('status-pending')).toHaveCount(0, { timeout: 30_000 })
    await expect(ncRow(page, nc)).toHaveCount(0) // no more evidence to submit

    // Sync: the NC is sent, waiting for evaluation.
    await syncNow(page)
    await openNcSteady(page, nc, 'open')
    await expect(page.getByTestId('nc-expect-headline')).toContainText(W.submittedHeadline)
    await page.getByTestId('tab-evidence').click()
    await expect(page.getByTestId('evidence-add')).toHaveCount(0)
    for (const f of files) {
      const row = evidenceRow(page, f.id)
      await expect(row.getByTestId('evidence-state')).toHaveAttribute('data-state', 'submitted')
      await expect(row.getByTestId('evidence-state')).toHaveText(W.submittedState)
      await expect(row.getByTestId('evidence-remove')).toHaveCount(0)
    }
    await expect(evidenceRow(page, pdf.id).getByTestId('evidence-subject-text')).toHaveText(subject)
    await keepScreenshot(page, 'evidence-sent')
  })

  test('the analyst sees the files, accepts the evidence, closes the open NCs and finalises the audit', async ({
    browser,
  }, info) => {
    test.setTimeout(180_000)
    expect(nc, 'the first test chose an NC').not.toBe('')
    const analyst = await consoleLogin(browser, 'analyst')
    try {
      await analyst.goto(consoleNcPath(nc))
      await expect(analyst.getByTestId('nc-stage')).toHaveAttribute('data-stage', 'evidence_submitted')
      for (const f of files) {
        const row = analyst.getByTestId(`evidence-${f.id}`)
        await expect(row.getByTestId('evidence-name')).toHaveText(f.name)
        await expect(row.getByTestId('evidence-submitted')).toHaveText('submitted')
        // The server has the very bytes of the file.
        const href = await row.getByTestId('evidence-download').getAttribute('href')
        const res = await analyst.request.get(href!)
        expect(res.ok(), `download of ${f.name}`).toBe(true)
        expect(sha256Of(await res.body()), `the server's ${f.name} is the file added`).toBe(f.sha)
      }
      const pdf = files.find((f) => f.name.endsWith('.pdf'))!
      await expect(analyst.getByTestId(`evidence-${pdf.id}`).getByTestId('evidence-subject')).toHaveText(subject)
      const version = analyst.getByTestId('evidence-history').locator('tr[data-testid^="evidence-version-"]').last()
      await expect(version.getByTestId('evidence-version-decision')).toHaveText('pending')
      await keepScreenshot(analyst, 'console-evidence')

      await analyst.locator('form[name="accept-evidence"] textarea[name="comment"]').fill('Registre complet, merci.')
      await analyst.getByTestId('accept-evidence-submit').click()
      await expect(analyst).toHaveURL(/\?done=accept-evidence$/)
      await expect(analyst.getByTestId('flash')).toBeVisible()
      await expect(analyst.getByTestId('nc-stage')).toHaveAttribute('data-stage', 'closed')
      await expect(analyst.getByTestId(`evidence-${pdf.id}`).getByTestId('evidence-decision')).not.toBeEmpty()

      // The audit's other open NCs: closed with what their stage offers.
      expect(await consoleAudit(analyst, audit)).not.toBe('closed')
      const done: string[] = []
      for (let round = 0; round < 20; round++) {
        await consoleAudit(analyst, audit)
        const open = analyst.getByTestId('open-ncs').locator('li[data-testid^="open-nc-"]')
        if ((await open.count()) === 0) break
        const id = ((await open.first().getAttribute('data-testid')) ?? '').replace(/^open-nc-/, '')
        expect(id, 'an open NC is listed once: closing it worked').not.toBe(done.at(-1)?.split(' ')[0])
        done.push(await closeForFinalise(analyst, id))
      }
      info.annotations.push({ type: 'closed for finalisation', description: done.join('; ') || 'none open' })
      console.log(`e2e: closed on ${audit} to finalise: ${done.join('; ') || 'none open'}`)

      await consoleAudit(analyst, audit)
      await expect(analyst.getByTestId('open-ncs')).toHaveCount(0)
      await expect(analyst.getByTestId('finalise-submit')).toBeEnabled()
      await analyst.getByTestId('finalise-submit').click()
      await expect(analyst).toHaveURL(/\?done=finalise$/)
      await expect(analyst.getByTestId('flash')).toContainText('Certification finalised')
      expect(await consoleAudit(analyst, audit)).toBe('closed')
      await expect(analyst.getByTestId('finalise-submit')).toBeDisabled()
    } finally {
      await analyst.context().close()
    }
  })

  test('the app announces the closure and lists the new certificate, whose PDF opens', async ({}, info) => {
    test.setTimeout(120_000)
    expect(nc, 'the first test chose an NC').not.toBe('')
    await showNcList(page, 'open')
    await syncNow(page)
    // The notification, however briefly it showed (a scheduled sync may have come first).
    await expect.poll(async () => (await seen(page)).notify, { timeout: 20_000 }).toContainEqual(W.notifyClosed(nc))
    info.annotations.push({ type: 'notifications', description: (await seen(page)).notify.join(' | ') })
    const note = page.getByTestId('notify').filter({ hasText: W.notifyClosed(nc) })
    if (await note.isVisible()) await keepScreenshot(page, 'evidence-notify')

    await openNcSteady(page, nc, 'history')
    await expect(page.getByTestId('nc-expect-headline')).toContainText(W.closedHeadline)
    await page.getByTestId('tab-evidence').click()
    for (const f of files) {
      await expect(evidenceRow(page, f.id).getByTestId('evidence-state')).toHaveText(W.acceptedState)
    }
    await expect(page.getByTestId('evidence-history-decision').last()).not.toBeEmpty()
    await keepScreenshot(page, 'evidence-closed')

    // The new certificate: FLO-3542-<year>-<n>, valid three years from today.
    const now = new Date()
    const year = now.getUTCFullYear()
    const until = new Date(Date.UTC(year + 3, now.getUTCMonth(), now.getUTCDate()))
    const untilText = `${pad(until.getUTCDate())}/${pad(until.getUTCMonth() + 1)}/${until.getUTCFullYear()}`
    await menu(page, 'certificate')
    const fresh = async () => (await certificateNumbers(page)).filter((n) => !certificatesBefore.includes(n))
    await expect.poll(fresh, { message: 'one new certificate is listed' }).toHaveLength(1)
    const [number] = await fresh()
    expect(number).toMatch(new RegExp(`^FLO-${ORG_ID}-${year}-\\d+$`))
    const row = page.getByTestId('certificate-row').filter({ hasText: number })
    await expect(row).toHaveCount(1)
    await expect(row).toContainText('CERT Certificate web en')
    await expect(row).toContainText(untilText)
    await expect(row).toContainText(String(year))
    info.annotations.push({ type: 'certificate', description: `${number}, valid until ${untilText}` })
    console.log(`e2e: new certificate ${number}, valid until ${untilText}`)
    await keepScreenshot(page, 'certificate-new')

    const before = openedFiles().length
    await row.getByTestId('file-open').click()
    await expect
      .poll(() => openedFiles().slice(before), { message: 'the app opened the new certificate PDF' })
      .toContainEqual(expect.stringMatching(/\.pdf$/i))
    info.annotations.push({ type: 'opened', description: openedFiles().slice(before).join(', ') })
  })
})

const pad = (n: number) => String(n).padStart(2, '0')

function evidenceRow(page: Page, id: string) {
  return page.locator(`[data-testid="evidence-row"][data-evidence-id="${id}"]`)
}

async function evidenceIds(page: Page): Promise<string[]> {
  return page
    .getByTestId('evidence-row')
    .evaluateAll((rows) => rows.map((r) => r.getAttribute('data-evidence-id') ?? ''))
}

/** certificateNumbers opens the Certificate page and returns the numbers it lists. */
async function certificateNumbers(page: Page): Promise<string[]> {
  await menu(page, 'certificate')
  const table = page.getByTestId('certificates-table')
  await expect(table).toBeVisible()
  await expect(page.getByTestId('certificate-row').first()).toBeVisible()
  const texts = await page.getByTestId('certificate-row').allTextContents()
  return texts.map((t) => t.match(/FLO-\d+-\d{4}(-\d+)?/)?.[0] ?? '').filter(Boolean)
}
