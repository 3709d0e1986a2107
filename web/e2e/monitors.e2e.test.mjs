// End-to-end: the real `peekaping` binary on a temp data dir, driven through Debian's Chromium.
//
//   register → create an HTTP monitor (interval 2 s) against a local target → it turns UP in
//   the list without a reload → the target starts failing → DOWN without a reload → the detail
//   page renders its chart and uptime cards. Screenshots (light and dark) go to e2e/screenshots/.
//
// Env: PEEKAPING_BIN (default ../target/debug/peekaping), CHROMIUM_PATH (default
// /usr/bin/chromium). PEEKAPING_E2E_URL points the test at an already running server instead of
// starting the binary (for UI development only). All traffic stays on 127.0.0.1.
import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import fs from 'node:fs'
import http from 'node:http'
import net from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { after, before, test } from 'node:test'
import { fileURLToPath } from 'node:url'
import { chromium } from 'playwright-core'

const webDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const screenshots = path.join(webDir, 'e2e', 'screenshots')
const BIN = path.resolve(webDir, process.env.PEEKAPING_BIN ?? '../target/debug/peekaping')
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'
const STEP = 30_000

const state = { server: null, serverLog: [], target: null, targetFailing: false, browser: null, dataDir: null, base: null }

function freePort() {
  return new Promise((resolve, reject) => {
    const probe = net.createServer()
    probe.once('error', reject)
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address()
      probe.close(() => resolve(port))
    })
  })
}

async function waitFor(what, check, timeoutMs = STEP, everyMs = 200) {
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

async function startTarget() {
  const server = http.createServer((req, res) => {
    const status = state.targetFailing ? 500 : 200
    res.writeHead(status, { 'Content-Type': 'text/plain', Connection: 'close' })
    res.end(state.targetFailing ? 'failing on purpose' : 'all good')
  })
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve))
  state.target = server
  return `http://127.0.0.1:${server.address().port}/health`
}

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

before(async () => {
  fs.mkdirSync(screenshots, { recursive: true })
  state.targetUrl = await startTarget()
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
})

after(async () => {
  await state.browser?.close().catch(() => {})
  await stopServer()
  await new Promise((resolve) => (state.target ? state.target.close(resolve) : resolve()))
  if (state.dataDir) fs.rmSync(state.dataDir, { recursive: true, force: true })
})

async function newPage(colorScheme = 'light', viewport = { width: 1280, height: 900 }) {
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
}

async function shoot(page, name) {
  await page.screenshot({ path: path.join(screenshots, `${name}.png`), fullPage: true })
}

async function setTheme(page, scheme) {
  await page.emulateMedia({ colorScheme: scheme })
  await waitFor(`the ${scheme} theme`, () => page.evaluate((dark) => document.documentElement.classList.contains('dark') === dark, scheme === 'dark'), 5000)
}

test('register, watch a monitor go UP then DOWN live, and open its detail page', { timeout: 240_000 }, async (t) => {
  const { context, page, problems } = await newPage()
  try {
    // First run: the app sends a fresh install to /register.
    await page.goto('/')
    await page.waitForURL(/\/register$/)
    await page.getByLabel('Email').fill('admin@example.com')
    await page.getByLabel('Password', { exact: true }).fill('Sup3r-secret!')
    await page.getByLabel('Confirm password').fill('Sup3r-secret!')
    await page.getByRole('button', { name: 'Create account' }).click()
    await page.waitForURL(/\/monitors$/)
    await page.getByText('No monitors yet').waitFor()

    // Marks this document: if anything reloads the page, the marker is gone.
    await page.evaluate(() => {
      window.__e2eNoReload = true
    })

    await page.getByRole('link', { name: 'New monitor' }).first().click()
    await page.waitForURL(/\/monitors\/new$/)
    await page.getByLabel('Friendly name').fill('E2E target')
    await page.getByLabel('URL').fill(state.targetUrl)
    await page.getByLabel('Check interval (seconds)').fill('2')
    await page.getByLabel('Timeout (seconds)').fill('1')
    await page.getByLabel('Retries before down').fill('0')
    await page.getByLabel('Retry interval (seconds)').fill('2')
    await page.getByRole('button', { name: 'Create monitor' }).click()
    const created = await Promise.race([
      page.waitForURL((url) => /^\/monitors\/[^/]+$/.test(url.pathname) && url.pathname !== '/monitors/new').then(() => true),
      page.getByRole('alert').first().waitFor().then(() => false),
    ])
    if (!created) {
      const errors = await page.locator('[role="alert"]').allInnerTexts()
      assert.fail(`the monitor form refused to save: ${errors.join(' | ')}`)
    }
    const monitorId = new URL(page.url()).pathname.split('/').pop()
    t.diagnostic(`created monitor ${monitorId}`)

    // Back to the list by client-side navigation; the row turns UP from socket events alone.
    await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: 'Monitors' }).click()
    await page.waitForURL(/\/monitors$/)
    const row = page.locator(`[data-monitor-row="${monitorId}"]`)
    await row.waitFor()
    await page.locator(`[data-monitor-row="${monitorId}"][data-status="up"]`).waitFor({ timeout: STEP })
    await waitFor('beats in the heartbeat bar', async () => (await row.locator('[data-status="up"][title]').count()) >= 2, STEP)
    await shoot(page, 'monitors-light')
    await setTheme(page, 'dark')
    await shoot(page, 'monitors-dark')
    await setTheme(page, 'light')

    state.targetFailing = true
    await page.locator(`[data-monitor-row="${monitorId}"][data-status="down"]`).waitFor({ timeout: STEP })
    assert.equal(await page.evaluate(() => window.__e2eNoReload), true, 'the list must update without a reload')
    await shoot(page, 'monitors-down-light')

    // Detail page: uptime cards and the response-time chart render.
    await row.click()
    await page.waitForURL(new RegExp(`/monitors/${monitorId}$`))
    await page.getByRole('heading', { name: 'E2E target' }).waitFor()
    const cards = page.getByTestId('uptime-cards')
    await waitFor('uptime percentages', async () => /\d+(\.\d+)?%/.test(await cards.innerText()), STEP)
    await page.locator('[data-testid="response-chart"] canvas').first().waitFor({ timeout: STEP })
    await page.getByRole('radio', { name: '30m' }).click()
    await page.locator('[data-testid="response-chart"] canvas').first().waitFor({ timeout: STEP })
    await page.getByRole('heading', { name: 'Important events' }).waitFor()
    await waitFor('a DOWN event in the events table', async () => (await page.locator('table [data-status="down"]').count()) > 0, STEP)
    await shoot(page, 'detail-light')
    await setTheme(page, 'dark')
    await shoot(page, 'detail-dark')
    assert.equal(await page.evaluate(() => window.__e2eNoReload), true, 'navigation must stay client-side')

    // Phone width: the same pages stay usable.
    await page.setViewportSize({ width: 390, height: 844 })
    await setTheme(page, 'light')
    await shoot(page, 'detail-phone')
    await page.goto('/monitors')
    await page.locator(`[data-monitor-row="${monitorId}"]`).waitFor()
    await shoot(page, 'monitors-phone')

    assert.deepEqual(problems.filter((p) => !/favicon/.test(p)), [], 'no page errors or console errors')
  } catch (error) {
    if (state.serverLog.length) t.diagnostic(`server log (last lines):\n${state.serverLog.slice(-60).join('\n')}`)
    await shoot(page, 'failure').catch(() => {})
    throw error
  } finally {
    await context.close()
  }
})
