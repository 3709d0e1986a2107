// @vitest-environment jsdom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { ApiError, http, onAuthLost } from './client'
import { session } from './session'

type Route = (init: RequestInit, url: string) => Response | Promise<Response>

function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json', ...headers } })
}

function authHeader(init: RequestInit): string | undefined {
  return (init.headers as Record<string, string> | undefined)?.Authorization
}

let calls: { url: string; init: RequestInit }[] = []
function mockFetch(route: Route) {
  calls = []
  vi.stubGlobal('fetch', vi.fn(async (url: string, init: RequestInit) => {
    calls.push({ url, init })
    return route(init, url)
  }))
}

const unauthorized = () => json(401, { status: 'error', message: 'expired', error: { code: 'unauthorized', message: 'token expired' } })
const tokens = (n: number) => json(200, { message: 'ok', data: { accessToken: `access-${n}`, refreshToken: `refresh-${n}`, user: {} } })

describe('API client', () => {
  let lost: ReturnType<typeof vi.fn>
  beforeEach(() => {
    localStorage.clear()
    session.set({ accessToken: 'access-0', refreshToken: 'refresh-0' })
    lost = vi.fn()
    onAuthLost(lost as unknown as () => void)
  })
  afterEach(() => vi.unstubAllGlobals())

  it('unwraps the envelope and keeps the paging total', async () => {
    mockFetch(() => json(200, { message: 'success', data: [{ id: 'm1' }], total: 42 }))
    const result = await http.get<{ id: string }[]>('/monitors', { query: { page: 0, limit: 50, q: '', active: undefined } })
    expect(result.data).toEqual([{ id: 'm1' }])
    expect(result.total).toBe(42)
    expect(calls[0]!.url).toBe('/api/v1/monitors?page=0&limit=50')
    expect(authHeader(calls[0]!.init)).toBe('Bearer access-0')
  })

  it('refreshes once on 401 and retries with the new token', async () => {
    mockFetch((init, url) => {
      if (url.endsWith('/auth/refresh')) return tokens(1)
      return authHeader(init) === 'Bearer access-1' ? json(200, { message: 'ok', data: 'fine' }) : unauthorized()
    })
    const result = await http.get<string>('/monitors/x')
    expect(result.data).toBe('fine')
    expect(session.tokens).toEqual({ accessToken: 'access-1', refreshToken: 'refresh-1' })
    expect(localStorage.getItem('peekaping.accessToken')).toBe('access-1')
    const refreshBody = JSON.parse(String(calls.find((c) => c.url.endsWith('/auth/refresh'))!.init.body))
    expect(refreshBody).toEqual({ refreshToken: 'refresh-0' })
    expect(lost).not.toHaveBeenCalled()
  })

  it('shares one refresh between concurrent 401s', async () => {
    let release: () => void = () => {}
    const gate = new Promise<void>((resolve) => (release = resolve))
    mockFetch(async (init, url) => {
      if (url.endsWith('/auth/refresh')) {
        await gate
        return tokens(2)
      }
      return authHeader(init) === 'Bearer access-2' ? json(200, { message: 'ok', data: url }) : unauthorized()
    })
    const pending = Promise.all([http.get('/a'), http.get('/b'), http.get('/c')])
    await new Promise((resolve) => setTimeout(resolve, 0))
    release()
    const results = await pending
    expect(results.map((r) => r.data)).toEqual(['/api/v1/a', '/api/v1/b', '/api/v1/c'])
    expect(calls.filter((c) => c.url.endsWith('/auth/refresh'))).toHaveLength(1)
  })

  it('clears the session and reports auth loss when the refresh fails', async () => {
    mockFetch((_init, url) => (url.endsWith('/auth/refresh') ? unauthorized() : unauthorized()))
    await expect(http.get('/monitors')).rejects.toMatchObject({ status: 401 })
    expect(session.tokens).toBeNull()
    expect(localStorage.getItem('peekaping.refreshToken')).toBeNull()
    expect(lost).toHaveBeenCalledTimes(1)
  })

  it('does not refresh for 2fa_required or for unauthenticated calls', async () => {
    mockFetch(() => json(401, { status: 'error', message: '2FA token required', error: { code: '2fa_required', message: '2FA token required' } }))
    const error = await http.post('/auth/login', { email: 'a', password: 'b' }, { auth: false }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ApiError)
    expect((error as ApiError).code).toBe('2fa_required')
    expect(calls).toHaveLength(1)
    expect(authHeader(calls[0]!.init)).toBeUndefined()
    expect(session.tokens).not.toBeNull()
  })

  it('turns error bodies into ApiError with field and Retry-After', async () => {
    mockFetch(() =>
      json(400, { status: 'error', message: 'bad', error: { code: 'validation', message: 'interval must be at least 20', field: 'interval' } }),
    )
    await expect(http.post('/monitors', {})).rejects.toMatchObject({ code: 'validation', field: 'interval', message: 'interval must be at least 20' })
    mockFetch(() => json(429, { status: 'error', message: 'locked', error: { code: 'rate_limited', message: 'locked' } }, { 'Retry-After': '42' }))
    await expect(http.post('/auth/login', {}, { auth: false })).rejects.toMatchObject({ status: 429, retryAfter: 42 })
  })
})
