import { describe, expect, it } from 'vitest'
import { badgeMarkdown, badgeUrl, emptyKeyForm, keyBody, keyState, scrapeConfig } from './apiKeys'

const NOW = Date.parse('2026-06-01T12:00:00Z')

describe('keyState', () => {
  it('tells expired and used-up keys from active ones', () => {
    expect(keyState({ expires_at: null, usage_count: 3, max_usage_count: null }, NOW)).toBe('active')
    expect(keyState({ expires_at: '2026-06-01T11:59:59Z', usage_count: 0, max_usage_count: null }, NOW)).toBe('expired')
    expect(keyState({ expires_at: '2027-01-01T00:00:00Z', usage_count: 5, max_usage_count: 5 }, NOW)).toBe('exhausted')
    expect(keyState({ expires_at: undefined, usage_count: 4, max_usage_count: 5 }, NOW)).toBe('active')
  })
})

describe('keyBody', () => {
  it('maps a filled form to the request body', () => {
    const result = keyBody({ name: '  ci  ', scope: 'read', expiresAt: '2026-07-01T10:00', maxUsage: '100' }, NOW)
    expect('body' in result && result.body).toMatchObject({ name: 'ci', scope: 'read', max_usage_count: 100 })
    expect('body' in result && typeof result.body.expires_at).toBe('string')
  })

  it('sends nulls for no expiry and no cap', () => {
    const result = keyBody({ ...emptyKeyForm, name: 'k' }, NOW)
    expect('body' in result && result.body).toEqual({ name: 'k', scope: 'write', expires_at: null, max_usage_count: null })
  })

  it('names every bad field', () => {
    const result = keyBody({ name: ' ', scope: 'write', expiresAt: '2020-01-01T00:00', maxUsage: '0' }, NOW)
    expect('errors' in result && result.errors).toEqual({ name: 'required', expiresAt: 'past', maxUsage: 'atLeastOne' })
    const fractional = keyBody({ ...emptyKeyForm, name: 'k', maxUsage: '1.5' }, NOW)
    expect('errors' in fractional && fractional.errors.maxUsage).toBe('invalid')
    const long = keyBody({ ...emptyKeyForm, name: 'x'.repeat(101) }, NOW)
    expect('errors' in long && long.errors.name).toBe('tooLong')
  })
})

describe('scrapeConfig', () => {
  it('points Prometheus at /metrics with the key as bearer token', () => {
    const yaml = scrapeConfig('https://status.example.com:8443', 'pk_abc')
    expect(yaml).toContain('scheme: https')
    expect(yaml).toContain("targets: ['status.example.com:8443']")
    expect(yaml).toContain('credentials: pk_abc')
    expect(yaml).toContain('metrics_path: /metrics')
  })
})

describe('badges', () => {
  it('builds badge URLs with windows only where they apply', () => {
    expect(badgeUrl('http://h', 'm1', 'uptime', 'flat', 720)).toBe('http://h/api/v1/badge/m1/uptime/720')
    expect(badgeUrl('http://h', 'm1', 'status', 'social', 720)).toBe('http://h/api/v1/badge/m1/status?style=social')
    expect(badgeUrl('http://h', 'a b', 'cert-exp', 'flat')).toBe('http://h/api/v1/badge/a%20b/cert-exp')
  })

  it('writes markdown without breaking on brackets in the name', () => {
    expect(badgeMarkdown('http://h/x', 'My [api]')).toBe('![My api](http://h/x)')
  })
})
