// End-to-end: tags and maintenance windows through the UI, against the real binary and a local
// HTTP target (a Node server on 127.0.0.1).
//
//   register → Tags → new tag "env" → a new monitor gets env: prod in its tag picker → the
//   monitor list shows the chip and filters by the tag → Maintenance → a weekly window shows its
//   next windows in the preview → a manual maintenance covering the monitor → the list says
//   "Under maintenance" and the monitor's beats turn MAINTENANCE → pause → "Paused".
import assert from 'node:assert/strict'
import http from 'node:http'
import { after, before, test } from 'node:test'
import { createHarness, registerAdmin, shoot, waitFor } from './harness.mjs'

const harness = createHarness()
const target = { server: null, url: null, hits: 0 }

before(async () => {
  target.server = http.createServer((req, res) => {
    target.hits += 1
    res.writeHead(200, { 'Content-Type': 'text/plain', Connection: 'close' })
    res.end('ok')
  })
  await new Promise((resolve) => target.server.listen(0, '127.0.0.1', resolve))
  target.url = `http://127.0.0.1:${target.server.address().port}/`
  await harness.start()
})

after(async () => {
  await harness.stop()
  await new Promise((resolve) => (target.server ? target.server.close(resolve) : resolve()))
})

test('tag a monitor with a value and put it in maintenance', { timeout: 240_000 }, async (t) => {
  const { context, page, problems } = await harness.newPage()
  try {
    await registerAdmin(page)
    const nav = page.getByRole('navigation', { name: 'Main navigation' })

    await nav.getByRole('link', { name: 'Tags' }).click()
    await page.waitForURL(/\/tags$/)
    await page.getByText('No tags yet').waitFor()
    await page.getByRole('button', { name: 'New tag' }).click()
    await page.getByLabel('Name').fill('env')
    await page.getByRole('button', { name: '#22C55E' }).click()
    await page.getByRole('button', { name: 'Save' }).click()
    await page.getByText('Tag created.').waitFor()
    await page.locator('[data-tag-row] [data-tag-chip="env"]').waitFor()
    await shoot(page, 'tags-list')

    await nav.getByRole('link', { name: 'Monitors' }).click()
    await page.getByRole('link', { name: 'New monitor' }).first().click()
    await page.getByLabel('Friendly name').fill('Tagged target')
    await page.getByLabel('URL').fill(target.url)
    await page.getByLabel('Check interval (seconds)').fill('2')
    await page.getByLabel('Timeout (seconds)').fill('1')
    await page.getByLabel('Retry interval (seconds)').fill('2')
    await page.getByLabel('Tag', { exact: true }).selectOption({ label: 'env' })
    await page.getByLabel('Value (optional)').fill('prod')
    await page.getByRole('button', { name: 'Add tag' }).click()
    await page.locator('[data-tag-chip="env"]', { hasText: 'env: prod' }).waitFor()
    await page.getByRole('button', { name: 'Create monitor' }).click()
    await page.waitForURL(/\/monitors\/[0-9a-f-]+$/)
    const monitorId = page.url().split('/').pop()

    await nav.getByRole('link', { name: 'Monitors' }).click()
    await page.locator(`[data-monitor-row="${monitorId}"] [data-tag-chip="env"]`, { hasText: 'env: prod' }).waitFor()
    await page.getByLabel('Tag', { exact: true }).selectOption({ label: 'env' })
    await page.waitForURL(/tag=/)
    await page.locator(`[data-monitor-row="${monitorId}"]`).waitFor()
    await shoot(page, 'monitors-tag-filter')

    await nav.getByRole('link', { name: 'Maintenance' }).click()
    await page.waitForURL(/\/maintenances$/)
    await page.getByText('No maintenance windows').waitFor()
    await page.getByRole('link', { name: 'New maintenance' }).click()
    await page.getByLabel('Title').fill('Weekly patching')
    await page.getByLabel('Strategy').selectOption('recurring-weekday')
    await page.getByLabel('Time zone').selectOption('Europe/Berlin')
    await page.getByLabel('Sun').check()
    await page.getByLabel('From', { exact: true }).fill('23:00')
    await page.getByLabel('Until', { exact: true }).fill('01:00')
    await page.getByText('The window ends the next day.').waitFor()
    await waitFor('five previewed windows', async () => (await page.locator('[data-testid="maintenance-preview"] li').count()) === 5)
    await shoot(page, 'maintenance-form-weekly')

    // Now a manual one that covers the monitor (replacing the weekly draft).
    await page.getByLabel('Title').fill('Right now')
    await page.getByLabel('Strategy').selectOption('manual')
    await page.getByText('On from now until paused.').waitFor()
    await page.getByLabel('Tagged target').check()
    await page.getByRole('button', { name: 'Create' }).click()
    await page.waitForURL(/\/maintenances$/)
    const row = page.locator('[data-maintenance-row]', { hasText: 'Right now' })
    await row.getByText('Under maintenance').waitFor()
    await shoot(page, 'maintenances-list')
    await nav.getByRole('link', { name: 'Monitors' }).click()
    await page.locator(`[data-monitor-row="${monitorId}"][data-status="maintenance"]`).waitFor()
    await nav.getByRole('link', { name: 'Maintenance' }).click()
    await row.getByRole('button', { name: 'Pause: Right now' }).click()
    await row.getByText('Paused').waitFor()
    assert.deepEqual(problems, [], problems.join('\n'))
  } catch (error) {
    await shoot(page, 'tags-maintenance-failure').catch(() => {})
    t.diagnostic(harness.serverLog())
    throw error
  } finally {
    await context.close()
  }
})
