// End-to-end: the real `peekaping` binary on a temp data dir, driven through Debian's Chromium.
//
//   register → create an HTTP monitor (interval 2 s) against a local target → it turns UP in
//   the list without a reload → the target starts failing → DOWN without a reload → the detail
//   page renders its chart and uptime cards. Screenshots (light and dark) go to e2e/screenshots/.
//
// Env and harness: see harness.mjs. All traffic stays on 127.0.0.1.
import assert from 'node:assert/strict'
import http from 'node:http'
import { after, before, test } from 'node:test'
import { createHarness, registerAdmin, setTheme, shoot, STEP, waitFor } from './harness.mjs'

const harness = createHarness()
const state = { target: null, targetFailing: false, targetUrl: null }

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

before(async () => {
  state.targetUrl = await startTarget()
  await harness.start()
})

after(async () => {
  await harness.stop()
  await new Promise((resolve) => (state.target ? state.target.close(resolve) : resolve()))
})

test('register, watch a monitor go UP then DOWN live, and open its detail page', { timeout: 240_000 }, async (t) => {
  const { context, page, problems } = await harness.newPage()
  try {
    await registerAdmin(page)
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
    t.diagnostic(`server log (last lines):\n${harness.serverLog()}`)
    await shoot(page, 'failure').catch(() => {})
    throw error
  } finally {
    await context.close()
  }
})
