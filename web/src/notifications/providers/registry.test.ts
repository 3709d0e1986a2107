import { describe, expect, it } from 'vitest'
import { SECRET_MASK } from '@/api/notifications'
import { channelBody, draftFromChannel, newChannelDraft, switchProvider, testBody } from '../draft'
import type { NotificationProviderDefinition } from './definition'
import { isRequired, type ProviderField } from './fields'
import { findProvider, providers } from './registry'

/** The 26 providers the server has or is getting, by their `type` key. */
const SERVER_PROVIDERS = [
  'smtp', 'webhook', 'telegram', 'slack', 'discord', 'google_chat', 'signal', 'mattermost', 'matrix', 'wecom',
  'whatsapp', 'pagerduty', 'opsgenie', 'grafana_oncall', 'ntfy', 'gotify', 'pushover', 'sendgrid', 'twilio', 'line',
  'pagertree', 'pushbullet', 'microsoft_teams', 'rocket_chat', 'home_assistant', 'apprise',
]

/** A stored value of the right shape for a field (valid, and not the field's default). */
function sample(field: ProviderField): unknown {
  switch (field.kind) {
    case 'boolean':
      return true
    case 'number':
      return field.max ?? (field.min ?? 0) + 1
    case 'select':
      return field.options?.[field.options.length - 1]?.value
    case 'url':
    case 'secret-url':
      return `https://example.com/${field.key}`
    case 'email':
      return 'Ops <ops@example.com>'
    case 'emails':
      return 'a@example.com, b@example.com'
    case 'e164':
      return '+4915112345678'
    case 'json-object':
      return '{"X-Token":"abc"}'
    case 'template':
      return '{{ name }} is {{ status }}'
    default:
      return '12345'
  }
}

function sampleConfig(p: NotificationProviderDefinition): Record<string, unknown> {
  return Object.fromEntries(p.fields.map((f) => [f.key, sample(f)]))
}

/** Where a generic sample breaks a provider's own rule (mirroring the server's), a valid value. */
const VALID: Record<string, Record<string, unknown>> = {
  twilio: { twilio_account_sid: 'AC123', twilio_api_key: 'SK123' },
  line: { user_id: 'U123' },
  matrix: { internal_room_id: '!abc:example.org' },
  rocket_chat: { channel: '#ops' },
  pushbullet: { pushbullet_channel_tag: '' },
}

function validConfig(p: NotificationProviderDefinition): Record<string, unknown> {
  return { ...sampleConfig(p), ...VALID[p.type] }
}

const get = (type: string) => {
  const p = findProvider(type)
  if (!p) throw new Error(`no provider ${type}`)
  return p
}

describe('the provider registry', () => {
  it('lists every provider of the server once', () => {
    expect(providers.map((p) => p.type).sort()).toEqual([...SERVER_PROVIDERS].sort())
  })

  it.each(providers.map((p) => [p.type, p] as const))('%s round-trips every key it declares', (_type, p) => {
    const stored = sampleConfig(p)
    const config = p.toConfig(p.fromConfig(stored))
    expect(config).toEqual(stored)
    expect(Object.keys(config).sort()).toEqual(p.fields.map((f) => f.key).sort())
  })

  it.each(providers.map((p) => [p.type, p] as const))('%s accepts a complete config and names its required keys when empty', (_type, p) => {
    expect(p.validate(p.fromConfig(validConfig(p)))).toEqual({})
    const empty = p.fromConfig({})
    const errors = p.validate(Object.fromEntries(Object.entries(empty).map(([k, v]) => [k, typeof v === 'string' ? '' : v])))
    const required = p.fields.filter((f) => f.kind !== 'boolean' && f.kind !== 'select' && isRequired(f, empty) && (!f.visible || f.visible(empty)))
    for (const field of required) expect(errors[field.key], `${p.type}.${field.key}`).toBeDefined()
  })

  it.each(providers.map((p) => [p.type, p] as const))('%s keeps stored secrets as the mask', (_type, p) => {
    const masked = Object.fromEntries(p.secretKeys.map((k) => [k, SECRET_MASK]))
    const config = p.fromConfig({ ...validConfig(p), ...masked })
    for (const key of p.secretKeys) expect(p.toConfig(config)[key]).toBe(SECRET_MASK)
    expect(p.validate(config)).toEqual({})
  })

  it('mirrors the server rules the field kinds cannot express', () => {
    expect(get('twilio').validate(get('twilio').fromConfig({ ...validConfig(get('twilio')), twilio_account_sid: '123' }))).toHaveProperty('twilio_account_sid')
    expect(get('line').validate(get('line').fromConfig({ ...validConfig(get('line')), user_id: 'my-line-id' }))).toHaveProperty('user_id')
    expect(get('matrix').validate(get('matrix').fromConfig({ ...validConfig(get('matrix')), internal_room_id: '#ops:example.org' }))).toHaveProperty('internal_room_id')
    expect(get('rocket_chat').validate(get('rocket_chat').fromConfig({ ...validConfig(get('rocket_chat')), channel: 'ops' }))).toHaveProperty('channel')
    expect(get('pushbullet').validate(get('pushbullet').fromConfig({ ...validConfig(get('pushbullet')), pushbullet_channel_tag: 'ops' }))).toHaveProperty('pushbullet_channel_tag')
    const apprise = get('apprise')
    expect(apprise.validate(apprise.fromConfig({ apprise_url: 'http://apprise:8000', apprise_tag: 'ops' }))).toEqual({})
  })

  it('marks credentials as secrets', () => {
    expect(get('smtp').secretKeys).toEqual(['password'])
    expect(get('slack').secretKeys).toEqual(['slack_webhook_url'])
    expect(get('discord').secretKeys).toEqual(['webhook_url'])
    expect(get('telegram').secretKeys).toEqual(['bot_token'])
    expect(get('ntfy').secretKeys).toEqual(['password', 'token'])
    // A plain webhook's URL is not masked by the server (src/notify/providers/webhook.rs).
    expect(get('webhook').secretKeys).toEqual([])
  })

  it('gives hosted providers a base-URL override under Advanced', () => {
    for (const type of ['opsgenie', 'pushover', 'sendgrid', 'twilio', 'line', 'pushbullet']) {
      expect(get(type).fields.find((f) => f.key === 'api_url')?.advanced, type).toBe(true)
    }
    expect(get('telegram').fields.find((f) => f.key === 'server_url')?.advanced).toBe(true)
    expect(get('pagerduty').fromConfig({}).pagerduty_integration_url).toBe('https://events.pagerduty.com/v2/enqueue')
  })
})

describe('validation mirrors the server', () => {
  it('webhook: URL, content type, custom body and headers', () => {
    const p = get('webhook')
    const base = p.fromConfig({ webhook_url: 'https://example.com/hook' })
    expect(p.validate(base)).toEqual({})
    expect(p.toConfig(base)).toEqual({ webhook_url: 'https://example.com/hook', webhook_content_type: 'json', webhook_custom_body: '', webhook_additional_headers: '' })
    expect(Object.keys(p.validate({ ...base, webhook_url: '' }))).toEqual(['webhook_url'])
    expect(Object.keys(p.validate({ ...base, webhook_url: 'ftp://example.com' }))).toEqual(['webhook_url'])
    expect(Object.keys(p.validate({ ...base, webhook_content_type: 'custom' }))).toEqual(['webhook_custom_body'])
    expect(Object.keys(p.validate({ ...base, webhook_additional_headers: '[1]' }))).toEqual(['webhook_additional_headers'])
    expect(Object.keys(p.validate({ ...base, webhook_additional_headers: '{"A":{"b":1}}' }))).toEqual(['webhook_additional_headers'])
    // The server also takes the headers as an object; the form shows it as JSON text.
    expect(p.fromConfig({ webhook_additional_headers: { 'X-A': '1' } }).webhook_additional_headers).toContain('"X-A": "1"')
  })

  it('telegram: token shape, numeric thread, template when used', () => {
    const p = get('telegram')
    const base = p.fromConfig({ bot_token: '123:abc', chat_id: -1001 })
    expect(base.chat_id).toBe('-1001')
    expect(p.validate(base)).toEqual({})
    expect(Object.keys(p.validate({ ...base, bot_token: '123/abc' }))).toEqual(['bot_token'])
    expect(Object.keys(p.validate({ ...base, message_thread_id: 'x' }))).toEqual(['message_thread_id'])
    expect(Object.keys(p.validate({ ...base, use_template: true }))).toEqual(['template'])
    expect(Object.keys(p.validate({ ...base, server_url: 'api.telegram.org' }))).toEqual(['server_url'])
    expect(p.fromConfig({ send_silently: 'true' }).send_silently).toBe(true)
  })

  it('discord: thread name for forum posts, a numeric thread id for threads', () => {
    const p = get('discord')
    const base = p.fromConfig({ webhook_url: 'https://discord.com/api/webhooks/1/x' })
    expect(base.message_type).toBe('send_to_channel')
    expect(Object.keys(p.validate({ ...base, message_type: 'send_to_new_forum_post' }))).toEqual(['thread_name'])
    expect(Object.keys(p.validate({ ...base, message_type: 'send_to_thread', thread_id: 'abc' }))).toEqual(['thread_id'])
    expect(p.validate({ ...base, message_type: 'send_to_thread', thread_id: '123' })).toEqual({})
  })

  it('smtp: port, addresses, a user name with a password, and the loose smtp_secure', () => {
    const p = get('smtp')
    const base = p.fromConfig({ smtp_host: 'mail.example.com', smtp_port: 465, smtp_secure: true, from: 'a@example.com', to: 'b@example.com' })
    expect(p.validate(base)).toEqual({})
    expect(p.toConfig(base)).toMatchObject({ smtp_port: 465, smtp_secure: true })
    expect(Object.keys(p.validate({ ...base, smtp_port: '70000' }))).toEqual(['smtp_port'])
    expect(Object.keys(p.validate({ ...base, to: 'b@example.com, nobody' }))).toEqual(['to'])
    expect(Object.keys(p.validate({ ...base, password: 'x' }))).toEqual(['username'])
    expect(p.fromConfig({ smtp_secure: 'tls' }).smtp_secure).toBe('true')
    expect(p.fromConfig({ smtp_secure: 'starttls' }).smtp_secure).toBe('starttls')
    expect(p.toConfig(p.fromConfig({ smtp_secure: '' })).smtp_secure).toBe(false)
  })

  it('ntfy, opsgenie, twilio: enums, ranges and E.164', () => {
    const ntfy = get('ntfy')
    const n = ntfy.fromConfig({ topic: 'alerts' })
    expect(n.server_url).toBe('https://ntfy.sh')
    expect(ntfy.validate(n)).toEqual({})
    expect(Object.keys(ntfy.validate({ ...n, authentication_type: 'token' }))).toEqual(['token'])
    expect(Object.keys(ntfy.validate({ ...n, priority: '6' }))).toEqual(['priority'])
    expect(ntfy.toConfig(n).priority).toBe(3)
    const opsgenie = get('opsgenie')
    // A stored value outside the enum reads as the default (a select cannot show it)…
    expect(opsgenie.fromConfig({ region: 'apac' }).region).toBe('us')
    // …and the rule still holds for whatever state reaches validate.
    expect(Object.keys(opsgenie.validate({ ...opsgenie.fromConfig({ api_key: 'k' }), region: 'apac' }))).toEqual(['region'])
    const twilio = get('twilio')
    const tw = twilio.fromConfig({ twilio_account_sid: 'AC1', twilio_auth_token: 't', twilio_from_number: '+15005550006', twilio_to_number: '015112345678' })
    expect(Object.keys(twilio.validate(tw))).toEqual(['twilio_to_number'])
  })

  it('apprise: notification URLs or a stored configuration key', () => {
    const p = get('apprise')
    const base = p.fromConfig({ apprise_url: 'http://apprise:8000' })
    expect(Object.keys(p.validate(base))).toEqual(['apprise_urls'])
    expect(p.validate({ ...base, apprise_key: 'ops' })).toEqual({})
  })
})

describe('the channel draft', () => {
  it('serialises config as a JSON string with the flags', () => {
    const draft = { ...newChannelDraft('webhook'), name: ' Hook ', is_default: true, apply_existing: true }
    draft.config = { ...draft.config, webhook_url: 'https://example.com/h' }
    const body = channelBody(draft)
    expect(body).toMatchObject({ name: 'Hook', type: 'webhook', active: true, is_default: true, apply_existing: true })
    expect(JSON.parse(body.config!)).toMatchObject({ webhook_url: 'https://example.com/h', webhook_content_type: 'json' })
    expect(testBody(draft, 'c1')).toMatchObject({ id: 'c1', type: 'webhook' })
  })

  it('carries shared keys across a change of provider, but not masked secrets', () => {
    const channel = {
      id: 'c1', name: 'Chat', type: 'discord', active: true, is_default: false,
      config: JSON.stringify({ webhook_url: SECRET_MASK, bot_display_name: 'Bot' }), created_at: '', updated_at: '',
    }
    const draft = draftFromChannel(channel)
    expect(draft.config.webhook_url).toBe(SECRET_MASK)
    const teams = switchProvider(draft, 'microsoft_teams')
    expect(teams.config.webhook_url).toBe('')
    const unmasked = switchProvider({ ...draft, config: { ...draft.config, webhook_url: 'https://example.com/x' } }, 'google_chat')
    expect(unmasked.config.webhook_url).toBe('https://example.com/x')
  })

  it('keeps a channel of a provider this UI does not know editable as JSON', () => {
    const draft = draftFromChannel({ id: 'c', name: 'X', type: 'carrier_pigeon', active: true, is_default: false, config: '{"loft":"north"}', created_at: '', updated_at: '' })
    expect(JSON.parse(channelBody(draft).config!)).toEqual({ loft: 'north' })
  })
})
