// End-to-end: API keys, metrics and badges through the UI, against the real binary.
//
//   register → Security → create a read-only key (shown once, in a dialog) → the key reads the
//   API and is refused a write → the list shows its use → turn metrics on → the scrape config
//   appears and /metrics answers the key → edit the key → delete it (it stops working) → a
//   monitor's page shows the Badges panel with its URLs. Screenshots go to e2e/screenshots/.
import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { createHarness, registerAdmin, setTheme, shoot, STEP, waitFor } from './harness.mjs'

const harness = createHarness()
before(() => harness.start())
after(() => harness.stop())

test('API keys are created once-visible, used, edited and revoked; metrics and badges are offered', { timeout: 180_000 }, async () => {
  const { context, page, problems } = await harness.newPage()
  try {
    await registerAdmin(page)
    await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: 'Security' }).click()
    await page.waitForURL(/\/security$/)
    await page.getByText('No API keys yet').waitFor()

    // A bad form names its field without a request.
    await page.getByRole('button', { name: 'New API key' }).click()
    await page.getByRole('button', { name: 'Create key' }).click()
    await page.getByText('Required.').waitFor()
    await page.getByLabel('Name').fill('Grafana')
    await page.getByLabel('Access').selectOption('read')
    await page.getByLabel('Usage limit').fill('0')
    await page.getByRole('button', { name: 'Create key' }).click()
    await page.getByText('Must be at least 1.').waitFor()
    await page.getByLabel('Usage limit').fill('')
    await page.getByRole('button', { name: 'Create key' }).click()

    const tokenBox = page.getByTestId('new-api-key')
    await tokenBox.waitFor()
    const token = (await tokenBox.innerText()).trim()
    assert.match(token, /^pk_/)
    await shoot(page, 'api-key-created-light')
    await page.getByRole('button', { name: 'I have copied it' }).click()

    const api = (path, init = {}) => fetch(`${harness.base}/api/v1${path}`, { ...init, headers: { 'X-API-Key': token, 'Content-Type': 'application/json', ...(init.headers ?? {}) } })
    assert.equal((await api('/monitors')).status, 200)
    const refused = await api('/proxies', { method: 'POST', body: '{}' })
    assert.equal(refused.status, 403)

    const row = page.locator('[data-api-key-row]').filter({ hasText: 'Grafana' })
    await row.waitFor()
    assert.match(await row.innerText(), /Read only/)
    await page.reload()
    await waitFor('the use to show', async () => /Used 1 of ∞ times/.test(await row.innerText()), STEP)
    assert.ok(!(await page.content()).includes(token), 'the token is never shown again')

    // Metrics: off (404) until switched on; then the scrape config shows and the key scrapes.
    assert.equal((await fetch(`${harness.base}/metrics`, { headers: { Authorization: `Bearer ${token}` } })).status, 404)
    await page.getByRole('switch', { name: 'Serve /metrics' }).click()
    await page.getByRole('textbox', { name: 'Scrape config for prometheus.yml' }).waitFor()
    const scraped = await fetch(`${harness.base}/metrics`, { headers: { Authorization: `Bearer ${token}` } })
    assert.equal(scraped.status, 200)
    assert.match(await scraped.text(), /# TYPE peekaping_monitor_status gauge/)
    await shoot(page, 'security-light')
    await setTheme(page, 'dark')
    await shoot(page, 'security-dark')
    await setTheme(page, 'light')

    // Edit, then delete: the key stops working.
    await row.getByRole('button', { name: 'Edit key: Grafana' }).click()
    await page.getByLabel('Name').fill('Grafana prod')
    await page.getByRole('button', { name: 'Save' }).click()
    const renamed = page.locator('[data-api-key-row]').filter({ hasText: 'Grafana prod' })
    await renamed.waitFor()
    await renamed.getByRole('button', { name: 'Delete key: Grafana prod' }).click()
    await page.getByRole('dialog').getByRole('button', { name: 'Delete key' }).click()
    await page.getByText('No API keys yet').waitFor()
    assert.equal((await api('/monitors')).status, 401)

    // A monitor's page offers its badges.
    const login = await fetch(`${harness.base}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ email: 'admin@example.com', password: 'Sup3r-secret!' }),
    })
    const jwt = (await login.json()).data.accessToken
    const created = await fetch(`${harness.base}/api/v1/monitors`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${jwt}` },
      body: JSON.stringify({ type: 'http', name: 'Badge me', interval: 60, timeout: 5, config: JSON.stringify({ url: 'http://127.0.0.1:9/' }) }),
    })
    assert.equal(created.status, 201)
    const monitorId = (await created.json()).data.id
    await page.goto(`/monitors/${monitorId}`)
    const panel = page.locator('[data-badge="uptime"]')
    await panel.waitFor()
    assert.match(await panel.innerText(), new RegExp(`/api/v1/badge/${monitorId}/uptime/24`))
    await page.getByLabel('Badge style').selectOption('for-the-badge')
    await waitFor('the style in the URLs', async () => /style=for-the-badge/.test(await panel.innerText()), 5000)
    await shoot(page, 'monitor-badges-light')

    assert.deepEqual(problems.filter((p) => !/404|401|403/.test(p)), [])
  } catch (error) {
    await shoot(page, 'failure').catch(() => {})
    console.error(harness.serverLog())
    throw error
  } finally {
    await context.close()
  }
})
