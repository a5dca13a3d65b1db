// The About dialog in the real app: the dev binary (stamped 1.2.0, trusting the TEST-ONLY
// release key) against ecert-server publishing 1.3.0 signed with that key (e2e.sh).
import { test, expect } from '@playwright/test'
import { login, setLang } from './helpers'

test('About shows the build and finds the published update', async ({ page }) => {
  await login(page)
  await page.getByTestId('about-open').click()
  const dialog = page.getByTestId('about-dialog')
  await expect(dialog).toBeVisible()
  await expect(page.getByTestId('about-version')).toHaveText('1.2.0')
  await expect(page.getByTestId('about-commit')).not.toBeEmpty()
  await expect(page.getByTestId('about-date')).not.toBeEmpty()
  await expect(page.getByTestId('about-webview')).toHaveText(/webkit2gtk-4\.[01]|webview2|wkwebview/)

  await page.getByTestId('about-check').click()
  const status = page.getByTestId('about-update-status')
  await expect(status).toHaveAttribute('data-status', 'available', { timeout: 20_000 })
  await expect(status).toHaveText('La version 1.3.0 est disponible.')
  await expect(page.getByTestId('about-checked')).toBeVisible()
  // On Linux the package manager installs it: the notice, and no "Install and restart".
  await expect(page.getByTestId('about-manual')).toContainText('paquets du système')
  await expect(page.getByTestId('about-install')).toHaveCount(0)
  // The dot on the status bar's About button says an update waits.
  await expect(page.getByTestId('about-update-dot')).toBeVisible()

  await page.getByTestId('about-close').click()
  await expect(dialog).toBeHidden()
  // The same in Spanish.
  await setLang(page, 'es')
  await page.getByTestId('about-open').click()
  await expect(page.getByTestId('about-update-status')).toHaveText('La versión 1.3.0 está disponible.')
  await page.getByTestId('about-close').click()
  await setLang(page, 'fr')
})
