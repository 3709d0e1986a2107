/**
 * The HTTP client every API module goes through. It unwraps Peekaping's `{message, data}`
 * envelope, turns error bodies into `ApiError`, attaches the access token and, on a 401,
 * refreshes the token pair once (shared by concurrent requests) and retries; when that fails
 * the session is cleared and the auth-lost handler sends the user to /login.
 */
import { session, type Tokens } from './session'

export const API_BASE = '/api/v1'

export interface Envelope<T> {
  message: string
  data: T
  /** Present on paged lists: the number of matches across all pages. */
  total?: number
}

export interface ApiErrorBody {
  status?: string
  message?: string
  error?: { code?: string; message?: string; field?: string }
}

export class ApiError extends Error {
  readonly status: number
  readonly code: string
  readonly field: string | undefined
  /** Seconds, from Retry-After on 429. */
  readonly retryAfter: number | undefined

  constructor(status: number, code: string, message: string, field?: string, retryAfter?: number) {
    super(message)
    this.name = 'ApiError'
    this.status = status
    this.code = code
    this.field = field
    this.retryAfter = retryAfter
  }
}

export type QueryValue = string | number | boolean | null | undefined
export interface RequestOptions {
  query?: Record<string, QueryValue>
  body?: unknown
  /** A body sent as it is (a file upload) instead of `body` as JSON. */
  raw?: Blob
  /** Send the access token and refresh on 401 (default true). Auth endpoints turn it off. */
  auth?: boolean
  signal?: AbortSignal
}

let authLostHandler: () => void = () => {}
/** Called once the session is gone for good (refresh failed); the app navigates to /login. */
export function onAuthLost(handler: () => void): void {
  authLostHandler = handler
}

export function buildUrl(path: string, query?: Record<string, QueryValue>): string {
  const params = new URLSearchParams()
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value === undefined || value === null || value === '') continue
    params.set(key, String(value))
  }
  const search = params.toString()
  return `${API_BASE}${path}${search ? `?${search}` : ''}`
}

async function parseBody(response: Response): Promise<unknown> {
  const text = await response.text()
  if (!text) return undefined
  try {
    return JSON.parse(text)
  } catch {
    return text
  }
}

function errorFrom(response: Response, body: unknown): ApiError {
  const envelope = (typeof body === 'object' && body !== null ? body : {}) as ApiErrorBody
  const code = envelope.error?.code ?? (response.status === 401 ? 'unauthorized' : `http_${response.status}`)
  const message =
    envelope.error?.message ??
    envelope.message ??
    (typeof body === 'string' && body.length < 200 && body ? body : response.statusText || `HTTP ${response.status}`)
  const retryHeader = response.headers.get('Retry-After')
  const retryAfter = retryHeader !== null && retryHeader !== '' ? Number(retryHeader) : undefined
  return new ApiError(
    response.status,
    code,
    message,
    envelope.error?.field,
    retryAfter !== undefined && Number.isFinite(retryAfter) ? retryAfter : undefined,
  )
}

async function send(method: string, path: string, options: RequestOptions, token: string | null): Promise<Response> {
  const headers: Record<string, string> = { Accept: 'application/json' }
  if (options.body !== undefined) headers['Content-Type'] = 'application/json'
  if (options.raw !== undefined) headers['Content-Type'] = 'application/octet-stream'
  if (token) headers.Authorization = `Bearer ${token}`
  try {
    return await fetch(buildUrl(path, options.query), {
      method,
      headers,
      body: options.raw ?? (options.body === undefined ? undefined : JSON.stringify(options.body)),
      signal: options.signal,
    })
  } catch (cause) {
    if (cause instanceof DOMException && cause.name === 'AbortError') throw cause
    throw new ApiError(0, 'network', cause instanceof Error ? cause.message : 'Network error')
  }
}

let refreshing: Promise<boolean> | null = null

/**
 * Exchanges the refresh token for a new pair. Concurrent callers share one request, so a burst
 * of 401s costs a single POST /auth/refresh.
 */
export function refreshSession(): Promise<boolean> {
  if (refreshing) return refreshing
  const refreshToken = session.refreshToken
  if (!refreshToken) return Promise.resolve(false)
  refreshing = (async () => {
    try {
      const response = await send('POST', '/auth/refresh', { body: { refreshToken }, auth: false }, null)
      if (!response.ok) return false
      const body = (await parseBody(response)) as Envelope<Tokens> | undefined
      if (!body?.data?.accessToken || !body.data.refreshToken) return false
      session.set(body.data)
      return true
    } catch {
      return false
    } finally {
      refreshing = null
    }
  })()
  return refreshing
}

function loseSession(): void {
  session.clear()
  authLostHandler()
}

export async function request<T>(method: string, path: string, options: RequestOptions = {}): Promise<Envelope<T>> {
  const auth = options.auth ?? true
  let response = await send(method, path, options, auth ? session.accessToken : null)

  if (auth && response.status === 401) {
    const body = await parseBody(response)
    const error = errorFrom(response, body)
    if (error.code === '2fa_required') throw error
    if (await refreshSession()) {
      response = await send(method, path, options, session.accessToken)
      if (response.status === 401) {
        loseSession()
        throw errorFrom(response, await parseBody(response))
      }
    } else {
      loseSession()
      throw error
    }
  }

  const body = await parseBody(response)
  if (!response.ok) throw errorFrom(response, body)
  if (typeof body !== 'object' || body === null) {
    return { message: '', data: undefined as T }
  }
  return body as Envelope<T>
}

export const http = {
  get: <T>(path: string, options?: RequestOptions) => request<T>('GET', path, options),
  post: <T>(path: string, body?: unknown, options?: RequestOptions) => request<T>('POST', path, { ...options, body }),
  put: <T>(path: string, body?: unknown, options?: RequestOptions) => request<T>('PUT', path, { ...options, body }),
  patch: <T>(path: string, body?: unknown, options?: RequestOptions) => request<T>('PATCH', path, { ...options, body }),
  delete: <T>(path: string, options?: RequestOptions) => request<T>('DELETE', path, options),
}

/** GETs a non-JSON body (e.g. `text/yaml`) with the same auth and token refresh as `request`. */
export async function getText(path: string, signal?: AbortSignal): Promise<string> {
  let response = await send('GET', path, { signal }, session.accessToken)
  if (response.status === 401 && (await refreshSession())) {
    response = await send('GET', path, { signal }, session.accessToken)
  }
  if (!response.ok) throw errorFrom(response, await parseBody(response))
  return response.text()
}

/** Unwraps `data` for callers that do not need the envelope. */
export async function data<T>(promise: Promise<Envelope<T>>): Promise<T> {
  return (await promise).data
}
