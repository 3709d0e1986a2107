// @vitest-environment jsdom
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react'
import { MemoryRouter } from 'react-router'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { ApiError } from '@/api/client'
import { SECRET_MASK } from '@/api/notifications'
import { ChannelForm } from './ChannelForm'
import { draftFromChannel } from './draft'

const slack = {
  id: 'c1', name: 'Ops', type: 'slack', active: true, is_default: false,
  config: JSON.stringify({ slack_webhook_url: SECRET_MASK, slack_channel: '#ops' }), created_at: '', updated_at: '',
}

function renderForm(onSubmit = vi.fn().mockResolvedValue(undefined)) {
  render(
    <MemoryRouter>
      <ChannelForm initial={draftFromChannel(slack)} channelId="c1" cancelTo="/notifications" onSubmit={onSubmit} />
    </MemoryRouter>,
  )
  return onSubmit
}

afterEach(() => {
  cleanup()
  vi.unstubAllGlobals()
})

describe('ChannelForm', () => {
  it('shows a stored secret as a masked password field and saves it unchanged', async () => {
    const onSubmit = renderForm()
    const url = screen.getByLabelText('Webhook URL') as HTMLInputElement
    expect(url.type).toBe('password')
    expect(url.value).toBe(SECRET_MASK)
    expect(screen.getByText(/Stored\. Leave it as it is/)).toBeTruthy()
    fireEvent.click(screen.getByRole('button', { name: 'Save changes' }))
    await waitFor(() => expect(onSubmit).toHaveBeenCalledTimes(1))
    expect(onSubmit.mock.calls[0]![0].config.slack_webhook_url).toBe(SECRET_MASK)
  })

  it('sends a test with the channel id and shows the server’s 502 message', async () => {
    const fetchMock = vi.fn().mockResolvedValue(
      new Response(JSON.stringify({ error: { code: 'delivery_failed', message: 'The test notification failed: 401 from Slack: invalid_token' } }), { status: 502 }),
    )
    vi.stubGlobal('fetch', fetchMock)
    renderForm()
    fireEvent.click(screen.getByRole('button', { name: 'Send test' }))
    await screen.findByText(/401 from Slack: invalid_token/)
    const [url, init] = fetchMock.mock.calls[0]! as [string, RequestInit]
    expect(url).toBe('/api/v1/notification-channels/test')
    expect(JSON.parse(String(init.body))).toMatchObject({ id: 'c1', type: 'slack' })
    expect(JSON.parse(JSON.parse(String(init.body)).config)).toMatchObject({ slack_webhook_url: SECRET_MASK, slack_channel: '#ops' })
  })

  it('puts a server validation error on its field', async () => {
    const onSubmit = vi.fn().mockRejectedValue(new ApiError(400, 'validation', 'must be an http:// or https:// URL', 'config.slack_webhook_url'))
    renderForm(onSubmit)
    fireEvent.click(screen.getByRole('button', { name: 'Save changes' }))
    await screen.findByText('must be an http:// or https:// URL')
    expect(screen.getByLabelText('Webhook URL').getAttribute('aria-invalid')).toBe('true')
  })
})
