// "Where am I in the cycle": from the audits list and the dashboard, one audit's steps,
// the current one, and what is due next by the real deadline — in French and English,
// against the real backend and ecert-server's demo (told from today).
import { test, expect } from '@playwright/test'
import { demoDate, demoNC, keepScreenshot, login, menu, setLang } from './helpers'

test('the latest audit: corrective measures now, the first deadline named, in French', async ({ page }) => {
  await login(page)
  await menu(page, 'audits')
  await page.getByTestId('cycle-link-AO-38369').click()
  await expect(page.getByTestId('cycle-title')).toHaveText('Où en suis-je dans le cycle ?')
  await expect(page.getByTestId('cycle-audit')).toContainText(`Audit AO-38369 du ${demoDate(-42)}`)
  await expect(page.getByTestId('cycle-step-audit')).toHaveAttribute('data-state', 'done')
  await expect(page.getByTestId('cycle-step-ncs_confirmed')).toHaveAttribute('data-state', 'done')
  await expect(page.getByTestId('cycle-step-corrective_measures')).toHaveAttribute('data-state', 'current')
  await expect(page.getByTestId('cycle-step-decision')).toHaveAttribute('data-state', 'todo')
  const next = page.getByTestId('cycle-next')
  await expect(next).toHaveAttribute('data-who', 'client')
  // The demo's first deadline of this audit: the CA of NC-167140 (year of the audit), due in 19 days.
  await expect(page.getByTestId('cycle-next-text')).toHaveText(
    `À vous : proposer la mesure corrective de ${demoNC('167140')} — échéance le ${demoDate(19)}, 19 jours restants`,
  )
  await keepScreenshot(page, 'cycle-fr')
  await page.getByTestId('cycle-open-nc').click()
  await expect(page.getByTestId('nc-title')).toContainText(demoNC('167140'))
})

test('from the dashboard, the earlier audit and its overdue NC, in English', async ({ page }) => {
  await login(page)
  await setLang(page, 'en')
  await menu(page, 'portal')
  await page.getByTestId('dash-cycle').click()
  await expect(page.getByTestId('cycle-title')).toHaveText('Where am I in the cycle?')
  await expect(page.getByTestId('cycle-audit')).toContainText('AO-38369')
  // The other audit, chosen in the list: its overdue CA comes first, as a reminder.
  await page.getByTestId('cycle-audit-select').click()
  await page.getByText(`AO-28681 · ${demoDate(-210)}`).click()
  await expect(page.getByTestId('cycle-audit')).toContainText('AO-28681')
  // Alone, this audit's next step is the demo's overdue CA (NC-173086), a reminder;
  // after ca.spec.ts has answered it, it is an NC of that spec's with its own deadline.
  // Either way: the words in English, and the tone that goes with the deadline.
  const next = page.getByTestId('cycle-next-text')
  await expect(next).toHaveText(
    /^Your turn: (propose the corrective measure|send the evidence) for NC-[\w-]+ — (was due|due) \d\d\/\d\d\/\d{4}, \d+ days? (overdue|left)$/,
  )
  const overdue = ((await next.textContent()) ?? '').includes('overdue')
  await expect(page.getByTestId('cycle-next')).toHaveAttribute('data-tone', overdue ? 'warning' : 'info')
  if (overdue) {
    await expect(next).toHaveText(
      `Your turn: propose the corrective measure for ${demoNC('173086')} — was due ${demoDate(-6)}, 6 days overdue`,
    )
  }
  await expect(page.getByTestId('cycle-step-corrective_measures')).toContainText('Corrective measures')
  await setLang(page, 'fr')
})
