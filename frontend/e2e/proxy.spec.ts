// The proxy settings in the window, with a real forward proxy (a few lines of Node's
// http module, asking for Basic credentials) between the app and the real ecert-server.
// The test leaves the settings on "automatic" for the tests after it.
import { test, expect, type Page } from '@playwright/test'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { login, syncNow } from './helpers'

const USER = 'bureau'
const PASSWORD = 'mot-de-passe du proxy'

interface Proxy {
  url: string
  forwarded: number
  refused: number
  close: () => Promise<void>
}

/** startProxy runs a forward proxy for plain http on loopback that wants USER:PASSWORD. */
async function startProxy(): Promise<Proxy> {
  const want = 'Basic ' + Buffer.from(`${USER}:${PASSWORD}`).toString('base64')
  const p = { url: '', forwarded: 0, refused: 0, close: async () => {} }
  const srv = http.createServer((req, res) => {
    if (req.headers['proxy-authorization'] !== want) {
      p.refused++
      res.writeHead(407, { 'Proxy-Authenticate': 'Basic realm="office"', 'Content-Type': 'text/plain' })
      res.end('proxy credentials required\n')
      return
    }
    p.forwarded++
    const headers = { ...req.headers }
    delete headers['proxy-authorization']
    delete headers['proxy-connection']
    const up = http.request(req.url!, { method: req.method, headers }, (r) => {
      res.writeHead(r.statusCode ?? 502, r.headers)
      r.pipe(res)
    })
    up.on('error', () => res.destroy())
    req.pipe(up)
  })
  await new Promise<void>((resolve) => srv.listen(0, '127.0.0.1', resolve))
  p.url = `http://127.0.0.1:${(srv.address() as AddressInfo).port}`
  p.close = () => new Promise((resolve) => srv.close(() => resolve()))
  return p
}

/** The popover opens and closes with its button (a click elsewhere closes it too). */
async function openProxy(page: Page) {
  if (!(await page.getByTestId('proxy-prefs').isVisible())) await page.getByTestId('proxy-open').click()
  await expect(page.getByTestId('proxy-prefs')).toBeVisible()
}

async function closeProxy(page: Page) {
  if (await page.getByTestId('proxy-prefs').isVisible()) await page.getByTestId('proxy-open').click()
  await expect(page.getByTestId('proxy-prefs')).toBeHidden()
}

async function setProxy(page: Page, mode: 'auto' | 'none' | 'manual', url = '', password = '') {
  await openProxy(page)
  await page.getByTestId(`proxy-mode-${mode}`).click()
  if (mode === 'manual') {
    await page.getByTestId('proxy-url').fill(url)
    await page.getByTestId('proxy-user').fill(USER)
    await page.getByTestId('proxy-password').fill(password)
  }
  await page.getByTestId('proxy-save').click()
}

test('the sync goes through the proxy set in the window, and a wrong password is said plainly', async ({ page }) => {
  const proxy = await startProxy()
  try {
    await login(page)

    // A wrong password: the status bar says the proxy refused it.
    await setProxy(page, 'manual', proxy.url, 'pas le bon')
    await expect(page.getByTestId('proxy-saved')).toBeVisible()
    await expect(page.getByTestId('proxy-source')).toContainText('le proxy réglé ici')
    await closeProxy(page)
    await page.getByTestId('sync-now').click()
    await expect(page.getByTestId('status-error')).toContainText("Le proxy a refusé l'identifiant", { timeout: 20_000 })
    expect(proxy.refused).toBeGreaterThan(0)

    // The right one: the sync goes through the proxy, and the error is gone.
    await setProxy(page, 'manual', proxy.url, PASSWORD)
    await closeProxy(page)
    await syncNow(page)
    await expect(page.getByTestId('status-error')).toHaveCount(0, { timeout: 20_000 })
    expect(proxy.forwarded).toBeGreaterThan(0)

    // Reopened: the password is not shown, only that it is kept.
    await openProxy(page)
    await expect(page.getByTestId('proxy-url')).toHaveValue(proxy.url)
    await expect(page.getByTestId('proxy-password')).toHaveValue('')
    await expect(page.getByTestId('proxy-password')).toHaveAttribute('placeholder', /Enregistré/)
    await closeProxy(page)

    // A bad address is refused in plain words.
    await setProxy(page, 'manual', 'ftp://nulle-part', PASSWORD)
    await expect(page.getByTestId('proxy-error')).toContainText("n'est pas valable")
    await closeProxy(page)
  } finally {
    await setProxy(page, 'auto').catch(() => {})
    await proxy.close()
  }
})
