import { describe, expect, it } from 'vitest'
import { proxyLabel } from '@/api/proxies'
import type { Monitor } from '@/api/types'
import { draftFromMonitor, draftToBody, newDraft, parseConfig, switchType, validateDraft, type MonitorDraft } from '@/monitors/draft'
import type { HttpConfig } from './config'

const httpDraft = (patch: Partial<HttpConfig>): MonitorDraft => {
  const draft = newDraft('http')
  return { ...draft, name: 'Intranet', config: { ...(draft.config as HttpConfig), url: 'http://intranet.example/', ...patch } }
}

const stored = (patch: Partial<Monitor>): Monitor => ({
  id: 'm1', type: 'http', name: 'Intranet', interval: 60, timeout: 48, max_retries: 0, retry_interval: 60,
  resend_interval: 0, active: true, status: 1, config: '{"url":"http://intranet.example/"}',
  notify_after_failures: 1, notify_after_successes: 1,
  notification_ids: [], tag_ids: [], tags: [], created_at: '', updated_at: '', ...patch,
})

describe('NTLM', () => {
  it('needs a bare user name, like the server', () => {
    const ntlm = (user: string) => validateDraft(httpDraft({ authMethod: 'ntlm', basic_auth_user: user, authDomain: 'CORP' }))
    expect(ntlm('alice')).toEqual({})
    expect(ntlm('alice@corp.example')).toEqual({})
    expect(ntlm('').basic_auth_user).toBeDefined()
    expect(ntlm('CORP\\alice').basic_auth_user).toMatch(/Domain/)
  })

  it('limits domain and workstation to 255 characters', () => {
    const errors = validateDraft(httpDraft({ authMethod: 'ntlm', basic_auth_user: 'a', authDomain: 'd'.repeat(256), authWorkstation: 'w'.repeat(256) }))
    expect(errors.authDomain).toBeDefined()
    expect(errors.authWorkstation).toBeDefined()
  })

  it('sends user, password, domain and workstation in the config', () => {
    const body = draftToBody(httpDraft({ authMethod: 'ntlm', basic_auth_user: 'alice', basic_auth_pass: 'pw', authDomain: 'CORP', authWorkstation: 'PROBE1' }))
    expect(parseConfig(body.config)).toMatchObject({ authMethod: 'ntlm', basic_auth_user: 'alice', basic_auth_pass: 'pw', authDomain: 'CORP', authWorkstation: 'PROBE1' })
  })
})

describe('proxy of an HTTP monitor', () => {
  it('is read from the monitor and sent top-level, never inside config', () => {
    const draft = draftFromMonitor(stored({ proxy_id: 'p1' }))
    expect((draft.config as HttpConfig).proxy_id).toBe('p1')
    const body = draftToBody(draft, stored({ proxy_id: 'p1' }))
    expect(body.proxy_id).toBe('p1')
    expect(parseConfig(body.config)).not.toHaveProperty('proxy_id')
  })

  it('can be removed: none sends an empty id, which the server reads as direct', () => {
    const draft = draftFromMonitor(stored({ proxy_id: 'p1' }))
    const none = { ...draft, config: { ...(draft.config as HttpConfig), proxy_id: '' } }
    expect(draftToBody(none, stored({ proxy_id: 'p1' })).proxy_id).toBe('')
  })

  it('carries over between HTTP types and is kept by types without a proxy field', () => {
    const draft = draftFromMonitor(stored({ proxy_id: 'p1' }))
    const keyword = switchType(draft, 'http-keyword')
    expect((keyword.config as HttpConfig).proxy_id).toBe('p1')
    const tcp = { ...switchType(draft, 'tcp'), name: 'Port' }
    expect(tcp.type).toBe('tcp')
    expect(draftToBody(tcp, stored({ proxy_id: 'p1' })).proxy_id).toBe('p1')
  })

  it('is listed as protocol://host:port', () => {
    expect(proxyLabel({ protocol: 'socks5', host: '127.0.0.1', port: 1080 })).toBe('socks5://127.0.0.1:1080')
    expect(proxyLabel({ protocol: 'http', host: '::1', port: 3128 })).toBe('http://[::1]:3128')
  })
})
