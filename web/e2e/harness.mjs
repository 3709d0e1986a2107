// Shared by the browser tests: the real `peekaping` binary on a temp data dir, Debian's
// Chromium through playwright-core, loopback-only traffic, screenshots and waiting helpers.
//
// Env: PEEKAPING_BIN (default ../target/debug/peekaping), CHROMIUM_PATH (default
// /usr/bin/chromium). PEEKAPING_E2E_URL points the tests at an already running server instead of
// starting the binary (for UI development only).
import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import fs from 'node:fs'
import net from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { chromium } from 'playwright-core'

export const webDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
export const screenshots = path.join(webDir, 'e2e', 'screenshots')
const BIN = path.resolve(webDir, process.env.PEEKAPING_BIN ?? '../target/debug/peekaping')
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'
export const STEP = 30_000

export function freePort() {
  return new Promise((resolve, reject) => {
    const probe = net.createServer()
    probe.once('error', reject)
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address()
      probe.close(() => resolve(port))
    })
  })
}

export async function waitFor(what, check, timeoutMs = STEP, everyMs = 200) {
  const deadline = Date.now() + timeoutMs
  let lastError
  while (Date.now() < deadline) {
    try {
      if (await check()) return
    } catch (error) {
      lastError = error
    }
    await new Promise((resolve) => setTimeout(resolve, everyMs))
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${lastError ? `: ${lastError.message}` : ''}`)
}

/** One server + browser per test file: `await harness.start()` in before(), `stop()` in after(). */
export function createHarness() {
  const state = { server: null, serverLog: [], browser: null, dataDir: null, base: null }

  async function startServer() {
    if (process.env.PEEKAPING_E2E_URL) return process.env.PEEKAPING_E2E_URL.replace(/\/$/, '')
    assert.ok(fs.existsSync(BIN), `server binary not found at ${BIN} (build it with cargo or set PEEKAPING_BIN)`)
    const port = await freePort()
    state.dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'peekaping-e2e-'))
    const child = spawn(BIN, ['serve', '--port', String(port), '--host', '127.0.0.1', '--data-dir', state.dataDir], {
      env: { ...process.env, PEEKAPING_MIN_INTERVAL: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    state.server = child
    const keep = (chunk) => {
      state.serverLog.push(...chunk.toString().split('\n').filter(Boolean))
      if (state.serverLog.length > 400) state.serverLog.splice(0, state.serverLog.length - 400)
    }
    child.stdout.on('data', keep)
    child.stderr.on('data', keep)
    const base = `http://127.0.0.1:${port}`
    await waitFor('GET /api/v1/health to answer 200', async () => {
      if (child.exitCode !== null) throw new Error(`server exited with code ${child.exitCode}`)
      const response = await fetch(`${base}/api/v1/health`, { signal: AbortSignal.timeout(1000) })
      return response.status === 200
    })
    return base
  }

  async function stopServer() {
    const child = state.server
    if (!child || child.exitCode !== null) return
    child.kill('SIGTERM')
    const exited = await Promise.race([
      new Promise((resolve) => child.once('exit', () => resolve(true))),
      new Promise((resolve) => setTimeout(() => resolve(false), 5000)),
    ])
    if (!exited) child.kill('SIGKILL')
  }

  return {
    state,
    get base() {
      return state.base
    },
    async start() {
      fs.mkdirSync(screenshots, { recursive: true })
      state.base = await startServer()
      state.browser = await chromium.launch({
        executablePath: CHROMIUM,
        headless: true,
        timeout: STEP,
        args: [
          '--no-sandbox',
          '--headless=new',
          '--disable-gpu',
          '--disable-background-networking',
          '--disable-component-update',
          '--disable-sync',
          '--no-first-run',
        ],
      })
    },
    async stop() {
      await state.browser?.close().catch(() => {})
      await stopServer()
      if (state.dataDir) fs.rmSync(state.dataDir, { recursive: true, force: true })
    },
    /** A fresh browser context whose page errors and console errors are collected in `problems`. */
    async newPage(colorScheme = 'light', viewport = { width: 1280, height: 900 }) {
      const context = await state.browser.newContext({ viewport, colorScheme, baseURL: state.base })
      context.setDefaultTimeout(STEP)
      context.setDefaultNavigationTimeout(STEP)
      // Only loopback traffic: anything else is a bug (or a leak) and fails the request.
      await context.route('**/*', (route) => {
        const { hostname } = new URL(route.request().url())
        return hostname === '127.0.0.1' || hostname === 'localhost' ? route.continue() : route.abort()
      })
      const page = await context.newPage()
      const problems = []
      page.on('pageerror', (error) => problems.push(`page error: ${error.message}`))
      page.on('console', (message) => {
        if (message.type() === 'error') problems.push(`console: ${message.text()}`)
      })
      return { context, page, problems }
    },
    /** The last server log lines, for a failing test's diagnostics. */
    serverLog(lines = 60) {
      return state.serverLog.slice(-lines).join('\n')
    },
  }
}

export async function shoot(page, name) {
  await page.screenshot({ path: path.join(screenshots, `${name}.png`), fullPage: true })
}

export async function setTheme(page, scheme) {
  await page.emulateMedia({ colorScheme: scheme })
  await waitFor(`the ${scheme} theme`, () => page.evaluate((dark) => document.documentElement.classList.contains('dark') === dark, scheme === 'dark'), 5000)
  // Let colour transitions finish, or the screenshot catches buttons halfway between themes.
  await page.evaluate(() => Promise.all(document.getAnimations().map((animation) => animation.finished.catch(() => undefined))))
}

/** First run: the app sends a fresh install to /register; creates the admin and lands on /monitors. */
export async function registerAdmin(page) {
  await page.goto('/')
  await page.waitForURL(/\/register$/)
  await page.getByLabel('Email').fill('admin@example.com')
  await page.getByLabel('Password', { exact: true }).fill('Sup3r-secret!')
  await page.getByLabel('Confirm password').fill('Sup3r-secret!')
  await page.getByRole('button', { name: 'Create account' }).click()
  await page.waitForURL(/\/monitors$/)
}
