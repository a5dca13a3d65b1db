// The corrective-measure workflow end to end: the coop writes a CA in the app, marks it
// ready and sends it; the analyst evaluates it in the console of the real ecert-server;
// the app shows the decision. Also: the manual's words in French and Spanish, and a
// message written while the server is down.
//
// The server keeps its data for the whole run, and a sent CA cannot be taken back: each
// test uses its own NC, and awaitingCA gives a new one when an earlier attempt (a retry)
// already moved the demo NC on.
import { test, expect, type Browser, type Page } from '@playwright/test'
import { startServer, stopServer } from './server'
import {
  awaitingCA,
  consoleLogin,
  consoleNcPath,
  demoNC,
  keepScreenshot,
  login,
  ncRow,
  openNc,
  ORG_ID,
  setLang,
  showNcList,
  syncNow,
  type Lang,
} from './helpers'

const NC_ACCEPT = demoNC('173086') // 1.1.0.02, AO-28681, CA requested
const NC_FR = demoNC('174410') // 0.3.0.02, AO-28681, CA requested
const NC_ES = demoNC('167140') // 2.2.0.03, AO-38369, CA requested
const NC_MESSAGE = demoNC('150424') // 0.1.1.01, evidence requested
const OTHERS_AWAITING_CA = new RegExp(`${NC_FR}|${NC_ES}`)

// The sync engine retries with backoff, at most 30 s apart: allow 45 s.
const RECONNECT_MS = 45_000

/** The app's words, as the portal manual has them (fr) and their translations. */
const WORDS = {
  en: {
    ready: 'Ready to send',
    readyOn: '✓ Ready to send',
    saveDraft: 'Save as draft',
    savedLocal: 'Saved on this computer',
    draftShared: 'Draft shared with your organisation',
    readyHeadline: 'Ready to send (✓) — press Send in the NC list',
    send: 'Send',
    dialogTitle: 'Send to FLOCERT',
    confirm:
      'By confirming, the corrective measures entered will be sent to FLOCERT for evaluation. Do you want to continue?',
    notReady: 'These NCs are not marked ready and will NOT be sent:',
    sent: /^(Sent: \d+ corrective measures?|Queued: they will be sent when the connection returns)$/,
    submitted: 'Sent — waiting for evaluation',
    pending: 'Waiting for evaluation',
    returned: 'Returned by the analyst: see comment',
    notifyReturned: (id: string) => `${id}: the analyst returned your corrective measure — see the comment`,
    previous: 'Previously sent',
    historyReturned: 'Returned',
  },
  fr: {
    ready: 'Prête à envoyer',
    readyOn: '✓ Prête à envoyer',
    saveDraft: 'Sauvegarder comme brouillon',
    savedLocal: 'Enregistrée sur cet ordinateur',
    draftShared: 'Brouillon partagé avec votre organisation',
    readyHeadline: 'Prête à envoyer (✓) — cliquez sur « Envoyer » dans la liste des NC',
    send: 'Envoyer',
    dialogTitle: 'Envoyer à FLOCERT',
    confirm:
      'En validant cette action, la mesure corrective entrée sera envoyée à FLOCERT pour évaluation. Voulez-vous poursuivre ?',
    notReady: 'Ces NC ne sont pas marquées prêtes et ne seront PAS envoyées :',
    sent: /^(Envoyé : \d+ mesures? correctives?|En file d'envoi : elles seront envoyées au retour de la connexion)$/,
    submitted: "Envoyée — en attente d'évaluation",
    pending: "En attente d'évaluation",
    returned: "Retournée par l'analyste : voir le commentaire",
    notifyReturned: (id: string) => `${id} : l'analyste a retourné votre mesure corrective — voir le commentaire`,
    previous: 'Envoyée précédemment',
    historyReturned: 'Retournée',
  },
  es: {
    ready: 'Lista para enviar',
    readyOn: '✓ Lista para enviar',
    saveDraft: 'Guardar como borrador',
    savedLocal: 'Guardada en este ordenador',
    draftShared: 'Borrador compartido con su organización',
    readyHeadline: 'Lista para enviar (✓) — pulse «Enviar» en la lista de NC',
    send: 'Enviar',
    dialogTitle: 'Enviar a FLOCERT',
    confirm:
      'Al confirmar, las medidas correctivas introducidas se enviarán a FLOCERT para su evaluación. ¿Desea continuar?',
    notReady: 'Estas NC no están marcadas como listas y NO se enviarán:',
    sent: /^(Enviadas?: \d+ medidas? correctivas?|En cola: se enviarán cuando vuelva la conexión)$/,
    submitted: 'Enviada — en espera de evaluación',
    pending: 'En espera de evaluación',
    returned: 'Devuelta por el analista: vea el comentario',
    notifyReturned: (id: string) => `${id}: el analista devolvió su medida correctiva — vea el comentario`,
    previous: 'Enviada anteriormente',
    historyReturned: 'Devuelta',
  },
} satisfies Record<Lang, unknown>

/**
 * writeAndSend writes a CA for nc in the app (autosave, « save as draft », « ready to
 * send »), then sends it from the NC list through the confirmation dialog, checking the
 * words of each screen in lang. It returns when the app shows the CA as sent.
 */
async function writeAndSend(page: Page, nc: string, lang: Lang, text: string, othersNotReady?: RegExp) {
  const w = WORDS[lang]
  await openNc(page, nc, 'ca')
  const ready = page.getByTestId('ca-ready')
  // An earlier attempt may have left it marked ready: unmark it, so it starts written only.
  if ((await ready.getAttribute('aria-pressed')) === 'true') {
    await ready.click()
    await expect(ready).toHaveAttribute('aria-pressed', 'false')
  }
  await expect(ready).toHaveText(w.ready)
  await expect(page.getByTestId('ca-save-draft')).toHaveText(w.saveDraft)

  // Typing: saved on this computer after a pause.
  await page.getByTestId('ca-text').fill(text)
  const saved = page.getByTestId('ca-saved-state')
  await expect(saved).toHaveText(w.savedLocal)

  // « Save as draft »: shared with the organisation (online).
  await page.getByTestId('ca-save-draft').click()
  await expect(saved).toHaveText(w.draftShared, { timeout: 20_000 })

  // « Ready to send »: a toggle, ✓ when on.
  await ready.click()
  await expect(ready).toHaveAttribute('aria-pressed', 'true')
  await expect(ready).toHaveText(w.readyOn)
  await expect(page.getByTestId('nc-expect-headline')).toContainText(w.readyHeadline)
  await expect(page.getByTestId('ca-text')).toHaveValue(text)

  // The list: the ✓ in the row, and « Send » above it.
  await showNcList(page, 'ca')
  await expect(ncRow(page, nc).getByTestId('nc-ready-mark')).toBeVisible()
  const sendButton = page.getByTestId('send-button')
  await expect(sendButton).toBeVisible()
  await expect(sendButton).toHaveText(w.send)
  await sendButton.click()

  const dialog = page.getByTestId('send-dialog')
  await expect(dialog).toBeVisible()
  await expect(dialog).toContainText(w.dialogTitle)
  await expect(page.getByTestId('send-confirm-text')).toHaveText(w.confirm)
  await expect(page.getByTestId('send-ready')).toContainText(nc)
  const notReady = page.getByTestId('send-not-ready')
  await expect(notReady).toContainText(w.notReady)
  await expect(notReady).not.toContainText(nc)
  if (othersNotReady) await expect(notReady).toContainText(othersNotReady)
  await expect(page.getByTestId('send-confirm')).toHaveText(w.send)
  await keepScreenshot(page, `send-dialog-${lang}`)
  await page.getByTestId('send-confirm').click()

  await expect(dialog).toBeHidden()
  await expect(page.getByTestId('send-result')).toHaveText(w.sent)
  // Queued or sent at once: either way it reaches the server and the app says so.
  await expect(page.getByTestId('status-pending')).toHaveCount(0, { timeout: 30_000 })
  await expect(ncRow(page, nc)).toHaveCount(0) // no more a CA to submit

  await openNc(page, nc, 'open')
  await expect(page.getByTestId('nc-expect-headline')).toContainText(w.submitted)
  await expect(page.getByTestId('nc-ca-text')).toHaveText(text)
  await expect(page.getByTestId('ca-history-item').first()).toContainText(text)
  await expect(page.getByTestId('ca-history-decision').first()).toHaveText(w.pending)
}

/** analystDecides opens the NC in the console, checks the CA arrived, and runs fn. */
async function analystDecides(browser: Browser, nc: string, caText: string, fn: (analyst: Page) => Promise<void>) {
  const analyst = await consoleLogin(browser, 'analyst')
  try {
    await analyst.goto(consoleNcPath(nc))
    await expect(analyst.getByTestId('nc-stage')).toHaveAttribute('data-stage', 'ca_submitted')
    await expect(analyst.getByTestId('ca-text')).toHaveText(caText)
    await fn(analyst)
  } finally {
    await analyst.context().close()
  }
}

test('draft → ready → send in the app; the analyst accepts in the console; the app shows it', async ({
  page,
  browser,
}, info) => {
  test.setTimeout(180_000)
  await login(page)
  await setLang(page, 'en')
  const nc = await awaitingCA(browser, NC_ACCEPT, info)
  const text = `Train the 12 warehouse workers on the new procedure by 30/06; the manager signs the attendance list. (e2e ${Date.now()})`

  // The dialog lists the NCs that await a CA and are not marked ready.
  await writeAndSend(page, nc, 'en', text, OTHERS_AWAITING_CA)

  // The analyst, in the console: the CA is there; accept it and request evidence.
  const analyst = await consoleLogin(browser, 'analyst')
  try {
    await analyst.goto('/console/orgs')
    await analyst.getByTestId(`org-${ORG_ID}`).getByTestId(`org-link-${ORG_ID}`).click()
    await analyst.getByTestId(`nc-link-${nc}`).click()
    await expect(analyst.getByTestId('nc-stage')).toHaveAttribute('data-stage', 'ca_submitted')
    await expect(analyst.getByTestId('ca-text')).toHaveText(text)
    const accept = analyst.locator('form[name="accept"]')
    await accept.locator('input[name="request_evidence"]').check()
    await analyst.getByTestId('accept-submit').click()
    await expect(analyst.getByTestId('flash')).toBeVisible()
    await expect(analyst).toHaveURL(/\?done=accept$/)
    await expect(analyst.getByTestId('nc-stage')).toHaveAttribute('data-stage', 'evidence_requested')
    await expect(analyst.getByTestId('ca-version-0').getByTestId('ca-decision')).toContainText('accepted')
  } finally {
    await analyst.context().close()
  }

  // Back in the app, on the list (opening the NC would clear its "new" badge): sync.
  await showNcList(page, 'open')
  await syncNow(page)
  await expect(
    page.getByTestId('notify').filter({ hasText: `${nc}: the analyst accepted your corrective measure — evidence requested` }),
  ).toBeVisible()
  await expect(page.getByTestId('menu-ncs-updates')).toBeVisible()
  await expect(ncRow(page, nc).getByTestId('nc-updates')).toBeVisible()
  await keepScreenshot(page, 'ca-accepted-list')

  await ncRow(page, nc).click()
  await expect(page.getByTestId('nc-expect-headline')).toContainText('Corrective measure accepted — evidence requested')
  await expect(page.getByTestId('nc-expect-edit')).toHaveText(
    'Your corrective measure was accepted: add the objective evidence that it is in place.',
  )
  await expect(page.getByTestId('ca-history-item')).toHaveCount(1)
  await expect(page.getByTestId('ca-history-item').first()).toContainText(text)
  await expect(page.getByTestId('ca-history-decision').first()).toHaveText('Accepted')
  await expect(page.getByTestId('ca-history-item').first()).toContainText('Evaluated on')
  await keepScreenshot(page, 'ca-accepted-detail')

  // Opened: the NC's "new" mark is gone.
  await showNcList(page, 'open')
  await expect(ncRow(page, nc)).toBeVisible()
  await expect(ncRow(page, nc).getByTestId('nc-updates')).toHaveCount(0)
})

const RETURNS: { lang: Lang; nc: string; comment: string }[] = [
  {
    lang: 'fr',
    nc: NC_FR,
    comment: 'Merci de préciser qui forme les travailleurs et à quelle date.',
  },
  {
    lang: 'es',
    nc: NC_ES,
    comment: 'Por favor, indique quién realizará la formación y en qué fecha.',
  },
]

for (const { lang, nc: preferred, comment } of RETURNS) {
  test(`${lang}: the buttons, the Send dialog and the analyst's return in ${lang === 'fr' ? 'French' : 'Spanish'}`, async ({
    page,
    browser,
  }, info) => {
    test.setTimeout(180_000)
    const w = WORDS[lang]
    await login(page)
    await setLang(page, lang)
    const nc = await awaitingCA(browser, preferred, info)
    const text = `${lang === 'fr' ? 'Former les travailleurs au stockage des produits.' : 'Formar a los trabajadores en el almacenamiento.'} (e2e ${Date.now()})`

    await writeAndSend(page, nc, lang, text)

    // The analyst returns it with a comment.
    await analystDecides(browser, nc, text, async (analyst) => {
      await analyst.locator('form[name="return"] textarea[name="comment"]').fill(comment)
      await analyst.getByTestId('return-submit').click()
      await expect(analyst.getByTestId('flash')).toBeVisible()
      await expect(analyst.getByTestId('nc-stage')).toHaveAttribute('data-stage', 'ca_returned')
    })

    await showNcList(page, 'open')
    await syncNow(page)
    await expect(page.getByTestId('notify').filter({ hasText: w.notifyReturned(nc) })).toBeVisible()

    await openNc(page, nc, 'open')
    await expect(page.getByTestId('nc-expect-headline')).toContainText(w.returned)
    // Beside the editor: what was sent, and the analyst's comment.
    await expect(page.getByTestId('ca-previous')).toContainText(w.previous)
    await expect(page.getByTestId('ca-previous').getByTestId('nc-ca-text')).toHaveText(text)
    await expect(page.getByTestId('nc-analyst-comment')).toHaveText(comment)
    await expect(page.getByTestId('ca-history-decision').first()).toHaveText(w.historyReturned)
    await expect(page.getByTestId('ca-history-comment').first()).toHaveText(comment)
    // It can be corrected and marked ready again.
    await expect(page.getByTestId('ca-ready')).toHaveText(w.ready)
    await expect(page.getByTestId('ca-ready')).toBeEnabled()
    await expect(page.getByTestId('ca-save-draft')).toHaveText(w.saveDraft)
    await expect(page.getByTestId('ca-text')).toBeEditable()
    await keepScreenshot(page, `ca-returned-${lang}`)
  })
}

test('a message written while the server is down waits, then goes by itself; the analyst reads it', async ({
  page,
  browser,
}) => {
  test.setTimeout(180_000)
  await login(page)
  await expect(page.getByTestId('status-online')).toHaveAttribute('data-online', 'true', { timeout: 20_000 })
  await openNc(page, NC_MESSAGE, 'evidence')
  await page.getByTestId('tab-communication').click()
  await expect(page.getByTestId('nc-thread')).toBeVisible()
  const body = `Les preuves arrivent la semaine prochaine. (hors ligne, e2e ${Date.now()})`
  const pending = page.getByTestId('nc-message-pending').filter({ hasText: body })
  const sent = page.getByTestId('nc-message').filter({ hasText: body })

  await stopServer()
  try {
    await syncNow(page)
    await expect(page.getByTestId('status-online')).toHaveAttribute('data-online', 'false', { timeout: 20_000 })

    await page.getByTestId('message-text').fill(body)
    await page.getByTestId('message-send').click()
    await expect(page.getByTestId('message-text')).toHaveValue('')
    await expect(pending).toBeVisible()
    await expect(pending).toContainText("En attente d'envoi")
    await expect(pending).toHaveAttribute('data-rejected', 'false')
    await expect(page.getByTestId('status-pending')).toBeVisible()

    // Still offline after another try: it stays pending, nothing is lost.
    await syncNow(page)
    await expect(pending).toBeVisible()
    await expect(sent).toHaveCount(0)
    await keepScreenshot(page, 'message-pending')
  } finally {
    await startServer()
  }

  // No click: the engine's retries send it.
  const back = Date.now()
  await expect(sent).toBeVisible({ timeout: RECONNECT_MS })
  await expect(pending).toHaveCount(0)
  await expect(page.getByTestId('status-pending')).toHaveCount(0)
  const secs = ((Date.now() - back) / 1000).toFixed(1)
  test.info().annotations.push({ type: 'resend', description: `message sent ${secs}s after the server restarted` })
  console.log(`e2e: pending message sent ${secs}s after the server restarted`)

  const analyst = await consoleLogin(browser, 'analyst')
  try {
    await analyst.goto(consoleNcPath(NC_MESSAGE))
    const msg = analyst.getByTestId('communication').locator('.msg-client').filter({ hasText: body })
    await expect(msg).toHaveCount(1)
    await expect(msg).toContainText('Marie Ngo Bassa')
  } finally {
    await analyst.context().close()
  }
})
