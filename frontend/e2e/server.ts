// Control of the ecert-server process that build/scripts/e2e.sh started, so that a test
// can take the app offline and bring the server back. The script passes the binary, its
// address and data folder, and a PID file that it reads on exit to stop whatever server
// runs then (the one it started, or the one a test restarted).
import { spawn } from 'node:child_process'
import { createHash, randomBytes } from 'node:crypto'
import { openSync, readFileSync, writeFileSync, existsSync, closeSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

function env(name: string): string {
  const v = process.env[name]
  if (!v) throw new Error(`${name} is not set: run the browser tests through build/scripts/e2e.sh`)
  return v
}

export const serverURL = () => env('E2E_SERVER_URL')

function pidFile() {
  return env('E2E_SERVER_PIDFILE')
}

function readPid(): number | null {
  const f = pidFile()
  if (!existsSync(f)) return null
  const n = Number(readFileSync(f, 'utf8').trim())
  return Number.isInteger(n) && n > 0 ? n : null
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

async function healthy(): Promise<boolean> {
  try {
    const r = await fetch(`${serverURL()}/api/v1/health`, { signal: AbortSignal.timeout(1000) })
    return r.ok
  } catch {
    return false
  }
}

/** stopServer stops the running server (SIGTERM, then SIGKILL) and waits until it is gone. */
export async function stopServer(): Promise<void> {
  const pid = readPid()
  if (pid && alive(pid)) {
    process.kill(pid, 'SIGTERM')
    for (let i = 0; i < 100 && alive(pid); i++) await sleep(100)
    if (alive(pid)) process.kill(pid, 'SIGKILL')
    for (let i = 0; i < 50 && alive(pid); i++) await sleep(100)
  }
  for (let i = 0; i < 50 && (await healthy()); i++) await sleep(100)
  if (await healthy()) throw new Error(`the server at ${serverURL()} still answers after being stopped`)
}

/** startServer starts the server again on the same address and data, and waits until it answers. */
export async function startServer(): Promise<void> {
  if (await healthy()) return
  const log = openSync(env('E2E_SERVER_LOG'), 'a')
  const child = spawn(
    env('E2E_SERVER_BIN'),
    [
      '--addr',
      env('E2E_SERVER_ADDR'),
      '--data-dir',
      env('E2E_SERVER_DATA'),
      '--demo',
      ...(process.env.E2E_RELEASE_DIR ? ['--release-dir', process.env.E2E_RELEASE_DIR] : []),
    ],
    { detached: true, stdio: ['ignore', log, log] },
  )
  closeSync(log)
  if (!child.pid) throw new Error('could not start ecert-server')
  writeFileSync(pidFile(), `${child.pid}\n`)
  child.unref()
  for (let i = 0; i < 150; i++) {
    if (await healthy()) return
    if (!alive(child.pid)) break
    await sleep(100)
  }
  throw new Error(`ecert-server did not come back on ${serverURL()}; see ${env('E2E_SERVER_LOG')}`)
}

/** openedFiles lists the paths the app "opened" (ECERT_E2E_OPEN_LOG), one per line. */
export function openedFiles(): string[] {
  const f = env('E2E_OPEN_LOG')
  if (!existsSync(f)) return []
  return readFileSync(f, 'utf8')
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
}

/** pickedFiles lists the paths the app's file dialog answers (ECERT_E2E_PICK), in order. */
export function pickedFiles(): string[] {
  return env('E2E_PICK').split(':').filter(Boolean)
}

/**
 * newRandomBytes gives a fixture file new random bytes after its first line (its size
 * and header stay), so that the server has never seen them and the app uploads it.
 */
export function newRandomBytes(path: string): void {
  const old = readFileSync(path)
  const head = old.subarray(0, old.indexOf(0x0a) + 1)
  writeFileSync(path, Buffer.concat([head, randomBytes(old.length - head.length)]))
}

/** sha256Of returns the SHA-256 of bytes or of a file, in hex. */
export function sha256Of(data: Buffer | string): string {
  return createHash('sha256')
    .update(typeof data === 'string' ? readFileSync(data) : data)
    .digest('hex')
}

/** An app started by a test: another person's computer, with its own data folder. */
export interface OtherApp {
  url: string
  dataDir: string
  stop: () => Promise<void>
}

/**
 * startAnotherApp starts a second dev app (another user's computer) on a new data folder
 * and a free port, its login form filled with user and password, and waits until it
 * serves the UI. Its PID goes to the file e2e.sh reads on exit, so that it is stopped
 * even when the test is not.
 */
export async function startAnotherApp(name: string, user: string, password: string): Promise<OtherApp> {
  const { mkdirSync, appendFileSync } = await import('node:fs')
  const { createServer } = await import('node:net')
  const port = await new Promise<number>((resolve, reject) => {
    const s = createServer()
    s.once('error', reject)
    s.listen(0, '127.0.0.1', () => {
      const p = (s.address() as { port: number }).port
      s.close(() => resolve(p))
    })
  })
  const dataDir = `${env('E2E_TMP')}/${name}-${Date.now()}`
  mkdirSync(`${dataDir}/save`, { recursive: true })
  const log = openSync(`${env('E2E_OUT_DIR')}/app-${name}.log`, 'a')
  // From the repository's root, as e2e.sh starts the first app.
  const root = fileURLToPath(new URL('../..', import.meta.url))
  const child = spawn(env('E2E_APP_BIN'), ['-assetdir', 'frontend/dist', '-devserver', `127.0.0.1:${port}`], {
    cwd: root,
    detached: true, // its own process group, with WebKit's helpers: stopped together
    stdio: ['ignore', log, log],
    env: {
      ...process.env,
      DISPLAY: env('E2E_DISPLAY'),
      WEBKIT_DISABLE_DMABUF_RENDERER: '1',
      NO_AT_BRIDGE: '1',
      ECERT_DATA_DIR: `${dataDir}/data`,
      ECERT_SERVER: serverURL(),
      ECERT_USER: user,
      ECERT_PASSWORD: password,
      ECERT_E2E_SAVE_DIR: `${dataDir}/save`,
      ECERT_E2E_OPEN_LOG: `${dataDir}/opened.log`,
      LANG: 'fr_FR.UTF-8',
      LANGUAGE: 'fr',
    },
  })
  closeSync(log)
  const pid = child.pid
  if (!pid) throw new Error(`could not start the app of ${name}`)
  appendFileSync(env('E2E_APPS_PIDFILE'), `${pid}\n`)
  child.unref()
  const url = `http://127.0.0.1:${port}`
  const stop = async () => {
    if (!alive(pid)) return
    try {
      process.kill(-pid, 'SIGTERM')
    } catch {
      return
    }
    for (let i = 0; i < 50 && alive(pid); i++) await sleep(100)
    if (alive(pid)) process.kill(-pid, 'SIGKILL')
  }
  for (let i = 0; i < 900; i++) {
    try {
      const r = await fetch(`${url}/wails/ipc.js`, { signal: AbortSignal.timeout(1000) })
      if (r.ok) return { url, dataDir, stop }
    } catch {
      // not yet
    }
    if (!alive(pid)) break
    await sleep(100)
  }
  await stop()
  throw new Error(`the app of ${name} did not start; see app-${name}.log in ${env('E2E_OUT_DIR')}`)
}
