// End-to-end: notification channels through the UI, against the real binary and a local
// webhook receiver (a Node HTTP server on 127.0.0.1).
//
//   register → Notifications → new webhook channel → "Send test" while the receiver answers 401
//   (the server's 502 message is shown) → "Send test" again (the receiver gets it, the UI says
//   so) → save it as a default channel → a new monitor starts with it ticked → the monitor's
//   target fails → the DOWN notice reaches the receiver → the channel list shows "Sent …" as its
//   last delivery and the delivery log lists the attempt. Screenshots go to e2e/screenshots/.
//
// Env and harness: see harness.mjs. All traffic stays on 127.0.0.1.
import assert from 'node:assert/strict'
import http from 'node:http'
import { after, before, test } from 'node:test'
import { createHarness, registerAdmin, setTheme, shoot, STEP, waitFor } from './harness.mjs'

const harness = createHarness()
/** What the receiver got, and how it answers the webhook. */
const receiver = { server: null, base: null, hooks: [], hookStatus: 200 }

async function startReceiver() {
  const server = http.createServer((req, res) => {
    const chunks = []
    req.on('data', (chunk) => chunks.push(chunk))
    req.on('end', () => {
      const url = new URL(req.url, 'http://127.0.0.1')
      if (url.pathname === '/hook') {
        const text = Buffer.concat(chunks).toString('utf8')
        let body = null
        try {
          body = JSON.parse(text)
        } catch {
          body = text
        }
        receiver.hooks.push({ method: req.method, status: receiver.hookStatus, body })
        res.writeHead(receiver.hookStatus, { 'Content-Type': 'application/json', Connection: 'close' })
        res.end(receiver.hookStatus === 200 ? '{"ok":true}' : '{"error":"bad token"}')
        return
      }
      // The monitored target: always failing.
      res.writeHead(503, { 'Content-Type': 'text/plain', Connection: 'close' })
      res.end('down on purpose')
    })
  })
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve))
  receiver.server = server
  receiver.base = `http://127.0.0.1:${server.address().port}`
}

before(async () => {
  await startReceiver()
  await harness.start()
})

after(async () => {
  await harness.stop()
  await new Promise((resolve) => (receiver.server ? receiver.server.close(resolve) : resolve()))
})

/** Hooks the receiver accepted (200) whose JSON body matches `predicate`. */
const accepted = (predicate) => receiver.hooks.filter((h) => h.status === 200 && typeof h.body === 'object' && h.body && predicate(h.body))

test('create a webhook channel, test it, and get a monitor’s DOWN notice through it', { timeout: 240_000 }, async (t) => {
  const { context, page, problems } = await harness.newPage()
  try {
    await registerAdmin(page)

    // The sidebar leads to the (empty) notifications page.
    await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: 'Notifications' }).click()
    await page.waitForURL(/\/notifications$/)
    await page.getByText('No notification channels yet').waitFor()
    await page.getByRole('link', { name: 'New channel' }).click()
    await page.waitForURL(/\/notifications\/new$/)

    await page.getByLabel('Provider').selectOption('webhook')
    await page.getByLabel('Name', { exact: true }).fill('E2E hook')
    await page.getByLabel('Webhook URL').fill(`${receiver.base}/hook`)
    await page.getByLabel('Enable for new monitors').check()

    // A failing test shows the provider's answer (the server's 502 message).
    receiver.hookStatus = 401
    await page.getByRole('button', { name: 'Send test' }).click()
    const failed = page.locator('[data-testid="test-result"][data-outcome="error"]')
    await failed.waitFor()
    assert.match(await failed.innerText(), /401 from the webhook/)

    // A working one: the receiver gets the test message and the form says so.
    receiver.hookStatus = 200
    await page.getByRole('button', { name: 'Send test' }).click()
    await page.locator('[data-testid="test-result"][data-outcome="ok"]').waitFor()
    await waitFor('the test message at the receiver', () => accepted((b) => b.event?.kind === 'test').length === 1, STEP)
    await shoot(page, 'channel-form-light')

    await page.getByRole('button', { name: 'Create channel' }).click()
    await page.waitForURL(/\/notifications$/)
    const row = page.locator('[data-channel-row]').filter({ hasText: 'E2E hook' })
    await row.waitFor()
    assert.match(await row.innerText(), /Webhook/)
    assert.match(await row.innerText(), /Default/)
    const channelId = await row.getAttribute('data-channel-row')
    t.diagnostic(`created channel ${channelId}`)

    // A new monitor starts with the default channel ticked; its target always fails.
    await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: 'Monitors' }).click()
    await page.waitForURL(/\/monitors$/)
    await page.getByRole('link', { name: 'New monitor' }).first().click()
    await page.waitForURL(/\/monitors\/new$/)
    const channelBox = page.getByRole('checkbox', { name: 'E2E hook' })
    await waitFor('the default channel to be ticked', () => channelBox.isChecked(), STEP)
    await page.getByLabel('Friendly name').fill('E2E failing target')
    await page.getByLabel('URL', { exact: true }).fill(`${receiver.base}/health`)
    await page.getByLabel('Check interval (seconds)').fill('2')
    await page.getByLabel('Timeout (seconds)').fill('1')
    await page.getByLabel('Retries before down').fill('0')
    await page.getByLabel('Retry interval (seconds)').fill('2')
    await page.getByRole('button', { name: 'Create monitor' }).click()
    await page.waitForURL((url) => /^\/monitors\/[^/]+$/.test(url.pathname) && url.pathname !== '/monitors/new')
    const monitorId = new URL(page.url()).pathname.split('/').pop()

    // The DOWN notice reaches the receiver, about this monitor.
    await waitFor(
      'the DOWN notice at the receiver',
      () => accepted((b) => b.status === 'DOWN' && b.monitor?.id === monitorId).length > 0,
      60_000,
      250,
    )

    // The channel list shows the delivery (it polls while open).
    await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: 'Notifications' }).click()
    await page.waitForURL(/\/notifications$/)
    await page.locator(`[data-channel-row="${channelId}"] [data-last-delivery="sent"]`).waitFor({ timeout: STEP })
    assert.match(await page.locator(`[data-channel-row="${channelId}"]`).innerText(), /Sent (just now|\d+ s ago)/)
    await shoot(page, 'notifications-light')
    await setTheme(page, 'dark')
    await shoot(page, 'notifications-dark')
    await setTheme(page, 'light')

    // The delivery log lists the attempt with the monitor's name.
    await page.getByRole('link', { name: 'E2E hook', exact: true }).click()
    await page.waitForURL(new RegExp(`/notifications/${channelId}$`))
    const log = page.getByTestId('delivery-log')
    await log.waitFor()
    const firstRow = log.locator('tbody tr').first()
    await waitFor('the monitor name in the log', async () => /E2E failing target/.test(await firstRow.innerText()), STEP)
    assert.equal(await firstRow.locator('[data-status]').getAttribute('data-status'), 'sent')
    await shoot(page, 'deliveries-light')

    // Phone width: the list stays usable.
    await page.setViewportSize({ width: 390, height: 844 })
    await page.goto('/notifications')
    await page.locator(`[data-channel-row="${channelId}"]`).waitFor()
    await shoot(page, 'notifications-phone')

    // The expected 502 of the failing test is the only console error allowed.
    const unexpected = problems.filter((p) => !/favicon/.test(p) && !/502 \(Bad Gateway\)/.test(p))
    assert.deepEqual(unexpected, [], 'no page errors or console errors')
  } catch (error) {
    t.diagnostic(`server log (last lines):\n${harness.serverLog()}`)
    await shoot(page, 'failure-notifications').catch(() => {})
    throw error
  } finally {
    await context.close()
  }
})
