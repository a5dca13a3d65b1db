// Browser benchmarks of the NC list (list.bench.ts): not tests, figures. Run through
// build/scripts/bench-ui.sh, which starts a server with the large generated organisation,
// a replica synced with it and the dev app on it, and passes their addresses in BENCH_*.
import { defineConfig } from '@playwright/test'
import { fileURLToPath } from 'node:url'
import { resolve } from 'node:path'

const here = fileURLToPath(new URL('.', import.meta.url))
const outDir = process.env.BENCH_OUT_DIR || resolve(here, '../../build/out/bench-ui')

export default defineConfig({
  testDir: here,
  testMatch: '**/*.bench.ts',
  outputDir: resolve(outDir, 'test-results'),
  // One app, one replica, and figures that other work would disturb: one at a time.
  workers: 1,
  fullyParallel: false,
  retries: 0,
  timeout: 300_000,
  expect: { timeout: 60_000 },
  reporter: [['list']],
  use: {
    baseURL: process.env.BENCH_BASE_URL,
    browserName: 'chromium',
    viewport: { width: 1280, height: 800 },
    locale: 'fr-FR',
    timezoneId: 'Europe/Paris',
    screenshot: 'only-on-failure',
    trace: 'off',
    actionTimeout: 60_000,
    launchOptions: {
      executablePath: process.env.BENCH_CHROMIUM || '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--disable-quic',
        '--no-first-run',
        // Frames are what is measured: no throttling of a page Chromium thinks is hidden.
        '--disable-background-timer-throttling',
        '--disable-renderer-backgrounding',
        '--disable-backgrounding-occluded-windows',
      ],
    },
  },
})
