import { describe, expect, it } from 'vitest'
import type { Monitor } from '@/api/types'
import { limitsFromVersion } from './limits'
import { draftFromMonitor, draftToBody, newDraft, parseConfig, switchType, validateDraft, type MonitorDraft } from './draft'
import type { HttpConfig } from './http/config'
import {
  fieldOfServerError,
  isHost,
  isValidStatusCode,
  parseStatusCodes,
  suggestedTimeout,
  UNKNOWN_LIMITS,
  validateCommon,
  validateStatusCodes,
} from './validation'

const common = {
  name: 'Website', interval: 60, timeout: 48, max_retries: 0, retry_interval: 60, resend_interval: 0,
  notify_after_failures: 1, notify_after_successes: 1,
}

describe('accepted status codes', () => {
  it('accepts classes, single codes and ranges', () => {
    for (const entry of ['2XX', '3xx', '5XX', '204', '100', '599', '200-299', '301-308', '404-404']) {
      expect(isValidStatusCode(entry), entry).toBe(true)
    }
  })

  it('rejects out-of-range codes, reversed ranges and junk', () => {
    for (const entry of ['6XX', '0XX', '99', '600', '2000', '299-200', '200-600', 'abc', '2X', '', '200-']) {
      expect(isValidStatusCode(entry), entry).toBe(false)
    }
  })

  it('allows an empty list (the server reads it as 2XX) but not a bad entry', () => {
    expect(validateStatusCodes([])).toBeUndefined()
    expect(validateStatusCodes(['2XX', '418'])).toBeUndefined()
    expect(validateStatusCodes(['2XX', 'nope'])).toBeDefined()
  })

  it('parses free text into normalised entries', () => {
    expect(parseStatusCodes('2xx, 204  200 - 299;301')).toEqual(['2XX', '204', '200-299', '301'])
    expect(parseStatusCodes('  ')).toEqual([])
  })
})

describe('common monitor fields', () => {
  it('passes the defaults', () => {
    expect(validateCommon(common)).toEqual({})
  })

  it('bounds flap damping like the server (1 to 100 beats)', () => {
    expect(Object.keys(validateCommon({ ...common, notify_after_failures: 0 }))).toEqual(['notify_after_failures'])
    expect(Object.keys(validateCommon({ ...common, notify_after_successes: 101 }))).toEqual(['notify_after_successes'])
    expect(validateCommon({ ...common, notify_after_failures: 100, notify_after_successes: 3 })).toEqual({})
  })

  it('enforces the server minimum interval, which the server may lower', () => {
    expect(validateCommon({ ...common, interval: 10, timeout: 8 }).interval).toMatch(/at least 20/)
    expect(validateCommon({ ...common, interval: 2, timeout: 1, retry_interval: 2 }, { minInterval: 1, known: true })).toEqual({})
    expect(validateCommon({ ...common, interval: 31 * 24 * 3600 }).interval).toBeDefined()
  })

  it('leaves the minimum to the server when it does not advertise one', () => {
    expect(limitsFromVersion({ version: '0.1.0' })).toEqual(UNKNOWN_LIMITS)
    expect(limitsFromVersion({ version: '0.1.0', min_interval: 20 })).toEqual({ minInterval: 20, known: true })
    expect(validateCommon({ ...common, interval: 2, timeout: 1, retry_interval: 2 }, UNKNOWN_LIMITS)).toEqual({})
    expect(validateCommon({ ...common, interval: 2, timeout: 3, retry_interval: 2 }, UNKNOWN_LIMITS).timeout).toBeDefined()
  })

  it('keeps the timeout between 80% of the minimum interval and the interval', () => {
    expect(validateCommon({ ...common, interval: 20, timeout: 21 }).timeout).toMatch(/interval/)
    expect(validateCommon({ ...common, interval: 20, timeout: 20 }).timeout).toBeUndefined()
    expect(validateCommon({ ...common, timeout: 15 }).timeout).toMatch(/at least 16/)
    expect(validateCommon({ ...common, interval: 2, timeout: 1, retry_interval: 2 }, { minInterval: 1, known: true }).timeout).toBeUndefined()
    expect(suggestedTimeout(60)).toBe(48)
    expect(suggestedTimeout(2)).toBe(1)
  })

  it('reports names that are too short and non-integers', () => {
    const errors = validateCommon({ ...common, name: ' ab ', max_retries: 1.5, resend_interval: Number.NaN })
    expect(Object.keys(errors).sort()).toEqual(['max_retries', 'name', 'resend_interval'])
  })
})

describe('type configs', () => {
  const httpDraft = (patch: Partial<HttpConfig>): MonitorDraft => {
    const draft = newDraft('http')
    return { ...draft, name: 'Site', config: { ...(draft.config as HttpConfig), url: 'https://example.com', ...patch } }
  }

  it('validates URL, headers JSON object, JSON body and auth fields', () => {
    expect(validateDraft(httpDraft({}))).toEqual({})
    expect(validateDraft(httpDraft({ url: 'example.com' })).url).toBeDefined()
    expect(validateDraft(httpDraft({ headers: '[1]' })).headers).toBeDefined()
    expect(validateDraft(httpDraft({ headers: '{"X-A":"1"}' })).headers).toBeUndefined()
    expect(validateDraft(httpDraft({ method: 'POST', encoding: 'json', body: '{oops' })).body).toBeDefined()
    expect(validateDraft(httpDraft({ encoding: 'text', body: '{oops' })).body).toBeUndefined()
    const basic = validateDraft(httpDraft({ authMethod: 'basic' }))
    expect(Object.keys(basic)).toEqual(['basic_auth_user'])
    expect(validateDraft(httpDraft({ max_redirects: 31 })).max_redirects).toBeDefined()
  })

  it('serialises config as a JSON string with only the chosen auth method’s fields', () => {
    const body = draftToBody(httpDraft({ authMethod: 'basic', basic_auth_user: 'u', basic_auth_pass: 'p', tlsCert: 'stale' }))
    expect(typeof body.config).toBe('string')
    const config = JSON.parse(body.config) as Record<string, unknown>
    expect(config).toMatchObject({ url: 'https://example.com', method: 'GET', accepted_statuscodes: ['2XX'], max_redirects: 10 })
    expect(config.basic_auth_user).toBe('u')
    expect(config).not.toHaveProperty('tlsCert')
    expect(config).not.toHaveProperty('keyword')
    // A new monitor whose form never loaded the channels leaves the choice to the server's defaults.
    expect(body).not.toHaveProperty('notification_ids')
    expect(draftToBody({ ...httpDraft({}), notification_ids: [] }).notification_ids).toEqual([])
    expect(draftToBody({ ...httpDraft({}), notification_ids: ['c1', 'c2'] }).notification_ids).toEqual(['c1', 'c2'])
  })

  it('keeps shared HTTP fields when switching to keyword, and requires the keyword', () => {
    const switched = switchType(httpDraft({ url: 'https://a.test', method: 'HEAD' }), 'http-keyword')
    expect(switched.config).toMatchObject({ url: 'https://a.test', method: 'HEAD', keyword: '' })
    expect(validateDraft(switched).keyword).toBeDefined()
  })

  it('validates tcp host and port', () => {
    const tcp = { ...newDraft('tcp'), name: 'Database' }
    expect(Object.keys(validateDraft(tcp)).sort()).toEqual(['host', 'port'])
    expect(validateDraft({ ...tcp, config: { host: 'db.local', port: 5432 } })).toEqual({})
    expect(validateDraft({ ...tcp, config: { host: 'http://db', port: 70000 } })).toMatchObject({ host: expect.any(String), port: expect.any(String) })
    expect(isHost('::1')).toBe(true)
    expect(isHost('10.0.0.1')).toBe(true)
    expect(isHost('my host')).toBe(false)
  })

  it('generates a 32-character URL-safe push token and sends it top-level', () => {
    const draft = { ...newDraft('push'), name: 'Cron job' }
    const token = (draft.config as { pushToken: string }).pushToken
    expect(token).toMatch(/^[A-Za-z0-9_-]{32}$/)
    const body = draftToBody(draft)
    expect(body.push_token).toBe(token)
    expect(parseConfig(body.config)).toEqual({ pushToken: token })
  })

  it('gives a cloned push monitor a new token and keeps relations of the source', () => {
    const monitor: Monitor = {
      id: 'm1', type: 'push', name: 'Backup', interval: 60, timeout: 48, max_retries: 0, retry_interval: 60,
      resend_interval: 0, active: false, status: 1, config: '{"pushToken":"old"}', push_token: 'oldtoken123',
      notification_ids: ['n1'], tag_ids: ['t1'], tags: [{ tag_id: 't1', name: 'env', color: '#3B82F6', value: 'prod' }], created_at: '', updated_at: '',
      notify_after_failures: 2, notify_after_successes: 1,
    }
    const edit = draftFromMonitor(monitor)
    expect((edit.config as { pushToken: string }).pushToken).toBe('oldtoken123')
    const clone = draftFromMonitor(monitor, { clone: true })
    expect((clone.config as { pushToken: string }).pushToken).not.toBe('oldtoken123')
    expect(clone.name).toBe('Backup (copy)')
    expect(draftToBody(clone, monitor).notification_ids).toEqual(['n1'])
    expect(draftToBody(clone, monitor).tags).toEqual([{ tag_id: 't1', value: 'prod' }])
  })
})

describe('server error fields', () => {
  it('maps config paths onto form fields', () => {
    expect(fieldOfServerError('config.url')).toBe('url')
    expect(fieldOfServerError('accepted_statuscodes[1]')).toBe('accepted_statuscodes')
    expect(fieldOfServerError('interval')).toBe('interval')
    expect(fieldOfServerError(undefined)).toBeUndefined()
  })
})
