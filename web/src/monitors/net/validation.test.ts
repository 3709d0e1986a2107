import { describe, expect, it } from 'vitest'
import { newDraft, validateDraft } from '@/monitors/draft'
import { hexError, hostError, isIp, isIpv6, pemError } from './validation'

const named = (type: string) => ({ ...newDraft(type), name: 'Network check' })
/** A draft of `type` with its default config patched. */
const draft = (type: string, patch: Record<string, unknown>) => {
  const base = named(type)
  return { ...base, config: { ...(base.config as Record<string, unknown>), ...patch } }
}

describe('network hosts (mirror of monitor_types/host.rs)', () => {
  it('accepts addresses and DNS names', () => {
    for (const host of ['127.0.0.1', '::1', '[::1]', '2001:db8::1', '::ffff:10.0.0.1', 'localhost', 'db.example.com.', '_sip._udp.example.com']) {
      expect(hostError(host), host).toBeUndefined()
    }
  })

  it('rejects URLs, blanks, empty and long labels', () => {
    for (const host of ['', 'http://x', 'a b', 'a..b', '.a', 'host:80', 'a'.repeat(64), 'ex@mple.com', '*.example.com']) {
      expect(hostError(host), host).toBeDefined()
    }
    expect(hostError('*.example.com', true)).toBeUndefined()
  })

  it('tells IPv6 shapes apart', () => {
    expect(isIpv6('1:2:3:4:5:6:7:8')).toBe(true)
    expect(isIpv6('1:2:3:4:5:6:7')).toBe(false)
    expect(isIpv6('1::2::3')).toBe(false)
    expect(isIpv6(':::')).toBe(false)
    expect(isIp('256.0.0.1')).toBe(false)
  })

  it('checks hex payloads and PEM text', () => {
    expect(hexError('de:ad BE ef', 10)).toBeUndefined()
    expect(hexError('abc', 10)).toBeDefined()
    expect(hexError('zz', 10)).toBeDefined()
    expect(hexError('0000', 1)).toBeDefined()
    expect(pemError('')).toBeUndefined()
    expect(pemError('not pem')).toBeDefined()
    expect(pemError('-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----')).toBeUndefined()
  })
})

describe('network monitor forms', () => {
  it('ping needs a host and bounded count, size and wait', () => {
    expect(Object.keys(validateDraft(named('ping')))).toEqual(['host'])
    expect(validateDraft(draft('ping', { host: '::1', count: 3, per_ping_timeout: 0.5 }))).toEqual({})
    const bad = draft('ping', { host: '::1', packet_size: 70000, count: 0, per_ping_timeout: 0 })
    expect(Object.keys(validateDraft(bad)).sort()).toEqual(['count', 'packet_size', 'per_ping_timeout'])
  })

  it('dns needs an IP resolver and an address as the expected A value', () => {
    const ok = draft('dns', { host: 'example.com' })
    expect(validateDraft(ok)).toEqual({})
    expect(validateDraft({ ...ok, config: { ...ok.config, resolver_server: 'dns.google' } })).toHaveProperty('resolver_server')
    expect(validateDraft({ ...ok, config: { ...ok.config, expected_value: 'nope' } })).toHaveProperty('expected_value')
    expect(validateDraft({ ...ok, config: { ...ok.config, resolve_type: 'TXT', expected_value: 'v=spf1' } })).toEqual({})
  })

  it('tls, smtp and udp check host, port and their own fields', () => {
    expect(validateDraft(draft('tls', { host: 'example.com', servername: 'a b', ca: 'x', min_days_remaining: -1 }))).toMatchObject({
      servername: expect.any(String),
      ca: expect.any(String),
      min_days_remaining: expect.any(String),
    })
    expect(validateDraft(draft('smtp', { host: 'mx.example.com', port: 587, security: 'starttls' }))).toEqual({})
    expect(validateDraft(draft('udp', { host: '::1', port: 53, payload_hex: 'abc' }))).toHaveProperty('payload_hex')
  })

  it('websocket needs a ws:// or wss:// URL and JSON-object headers', () => {
    expect(validateDraft(draft('websocket', { url: 'https://example.com' }))).toHaveProperty('url')
    const ok = draft('websocket', { url: 'wss://example.com/socket', headers: '{"X": "1"}', subprotocol: 'graphql-ws' })
    expect(validateDraft(ok)).toEqual({})
    expect(validateDraft({ ...ok, config: { ...ok.config, headers: '[1]', subprotocol: 'a b' } })).toMatchObject({
      headers: expect.any(String),
      subprotocol: expect.any(String),
    })
  })
})
