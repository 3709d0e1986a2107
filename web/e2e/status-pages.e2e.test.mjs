// End-to-end: a status page built in the UI and seen by a visitor, against the real binary
// and a local target (a Node HTTP server on 127.0.0.1).
//
//   register → a monitor → Status pages → new page with the monitor, a section and a password →
//   post an incident and resolve it → a visitor opens /status/<slug>, gets the password form,
//   enters the password and sees the monitor and the incident (server-rendered, no script).
//   Screenshots go to e2e/screenshots/.
import assert from 'node:assert/strict'
import http from 'node:http'
import { after, before, test } from 'node:test'
import { createHarness, registerAdmin, setTheme, shoot, STEP, waitFor } from './harness.mjs'

const harness = createHarness()
const target = { server: null, base: null }

before(async () => {
  target.server = http.createServer((req, res) => {
    res.writeHead(200, { 'Content-Type': 'text/plain', Connection: 'close' })
    res.end('ok')
  })
  await new Promise((resolve) => target.server.listen(0, '127.0.0.1', resolve))
  target.base = `http://127.0.0.1:${target.server.address().port}`
  await harness.start()
})

after(async () => {
  await harness.stop()
  await new Promise((resolve) => (target.server ? target.server.close(resolve) : resolve()))
})

test('build a password-protected status page with an incident and view it as a visitor', { timeout: 240_000 }, async (t) => {
  const { context, page, problems } = await harness.newPage()
  try {
    await registerAdmin(page)
    await page.getByRole('link', { name: 'New monitor' }).first().click()
    await page.waitForURL(/\/monitors\/new$/)
    await page.getByLabel('Friendly name').fill('E2E target')
    await page.getByLabel('URL', { exact: true }).fill(`${target.base}/health`)
    await page.getByLabel('Check interval (seconds)').fill('2')
    await page.getByLabel('Timeout (seconds)').fill('1')
    await page.getByLabel('Retry interval (seconds)').fill('2')
    await page.getByRole('button', { name: 'Create monitor' }).click()
    await page.waitForURL((url) => /^\/monitors\/[^/]+$/.test(url.pathname) && url.pathname !== '/monitors/new')

    await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: 'Status pages' }).click()
    await page.waitForURL(/\/status-pages$/)
    await page.getByText('No status pages yet').waitFor()
    await page.getByRole('link', { name: 'New status page' }).click()
    await page.waitForURL(/\/status-pages\/new$/)

    await page.getByLabel('Title', { exact: true }).fill('E2E Status')
    assert.equal(await page.getByLabel('Slug').inputValue(), 'e2e-status', 'the slug follows the title')
    await page.getByRole('button', { name: 'Add section' }).click()
    await page.getByLabel('Section name').fill('Backend')
    await page.getByRole('combobox', { name: 'Add a monitor… (Backend)' }).selectOption({ label: 'E2E target' })
    await page.getByRole('button', { name: 'Remove E2E target' }).waitFor()
    await page.getByRole('combobox', { name: 'Password setting' }).selectOption('set')
    await page.getByLabel('Password', { exact: true }).fill('visitor-pass')
    await shoot(page, 'status-page-form-light')
    await page.getByRole('button', { name: 'Create status page' }).click()
    await page.waitForURL(/\/status-pages\/[^/]+\/edit$/)

    // An incident, then its resolution.
    await page.locator('input[name="incident-title"]').fill('Database slow')
    await page.locator('textarea[name="incident-message"]').fill('Queries take seconds.')
    await page.getByRole('button', { name: 'Post incident' }).click()
    const incident = page.locator('[data-incident]').filter({ hasText: 'Database slow' })
    await incident.waitFor()
    await incident.getByRole('combobox', { name: 'Status' }).selectOption('resolved')
    await incident.getByRole('textbox', { name: 'Update message' }).fill('Index added.')
    await incident.getByRole('button', { name: 'Post update' }).click()
    await waitFor('the resolved incident', async () => /resolved/.test(await incident.innerText()), STEP)
    await shoot(page, 'status-page-edit-light')

    // The list shows the page as protected.
    await page.goto('/status-pages')
    const row = page.locator('[data-status-page-row]').filter({ hasText: 'E2E Status' })
    await row.waitFor()
    assert.match(await row.innerText(), /Password/)
    await setTheme(page, 'dark')
    await shoot(page, 'status-pages-dark')
    await setTheme(page, 'light')

    // A visitor (no session) gets the password form, then the page.
    const visitor = await harness.newPage()
    try {
      await visitor.page.goto('/status/e2e-status')
      await visitor.page.getByText('This status page is protected by a password.').waitFor()
      await visitor.page.getByLabel('Password').fill('visitor-pass')
      await visitor.page.getByRole('button', { name: 'View' }).click()
      await visitor.page.getByRole('heading', { name: 'Backend' }).waitFor()
      const text = await visitor.page.locator('main').innerText()
      assert.match(text, /E2E target/)
      assert.match(text, /Past incidents/)
      assert.match(text, /Index added\./)
      assert.equal(await visitor.page.locator('script').count(), 0, 'the public page has no script')
      await shoot(visitor.page, 'status-page-public-light')
      await visitor.page.setViewportSize({ width: 390, height: 844 })
      await shoot(visitor.page, 'status-page-public-phone')
    } finally {
      await visitor.context.close()
    }

    const unexpected = problems.filter((p) => !/favicon/.test(p))
    assert.deepEqual(unexpected, [], 'no page errors or console errors')
  } catch (error) {
    t.diagnostic(`server log (last lines):\n${harness.serverLog()}`)
    await shoot(page, 'failure-status-pages').catch(() => {})
    throw error
  } finally {
    await context.close()
  }
})
