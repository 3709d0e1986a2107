/**
 * The rules of the API keys page and the badge panel, kept out of the components so they are
 * unit-tested: a key's state (active, expired, used up), the form → request body mapping with
 * field errors, the Prometheus scrape config and the badge URLs.
 */
import type { ApiKey, ApiKeyScope } from '@/api/apiKeys'

export type KeyState = 'active' | 'expired' | 'exhausted'

export function keyState(
  key: { expires_at?: string | null; usage_count: number; max_usage_count?: number | null },
  now = Date.now(),
): KeyState {
  if (key.expires_at && Date.parse(key.expires_at) <= now) return 'expired'
  if (key.max_usage_count != null && key.usage_count >= key.max_usage_count) return 'exhausted'
  return 'active'
}

/** What the key form edits; strings as the inputs hold them. */
export interface KeyForm {
  name: string
  scope: ApiKeyScope
  /** `YYYY-MM-DDTHH:mm` from <input type="datetime-local">, local time; empty for never. */
  expiresAt: string
  /** Empty for no cap. */
  maxUsage: string
}

export const emptyKeyForm: KeyForm = { name: '', scope: 'write', expiresAt: '', maxUsage: '' }

export function formFromKey(key: ApiKey): KeyForm {
  return {
    name: key.name,
    scope: key.scope === 'read' ? 'read' : 'write',
    expiresAt: key.expires_at ? toLocalInput(new Date(key.expires_at)) : '',
    maxUsage: key.max_usage_count != null ? String(key.max_usage_count) : '',
  }
}

function toLocalInput(d: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0')
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`
}

export type KeyFormErrors = Partial<Record<keyof KeyForm, 'required' | 'tooLong' | 'past' | 'invalid' | 'atLeastOne'>>

/**
 * The request body for a form, or the errors that keep it from being sent. `null` values clear
 * expiry and cap on update (create just omits them).
 */
export interface KeyBody {
  name: string
  scope: ApiKeyScope
  expires_at: string | null
  max_usage_count: number | null
}

export function keyBody(form: KeyForm, now = Date.now()): { body: KeyBody } | { errors: KeyFormErrors } {
  const errors: KeyFormErrors = {}
  const name = form.name.trim()
  if (!name) errors.name = 'required'
  else if ([...name].length > 100) errors.name = 'tooLong'
  let expires: string | null = null
  if (form.expiresAt) {
    const at = new Date(form.expiresAt)
    if (Number.isNaN(at.getTime())) errors.expiresAt = 'invalid'
    else if (at.getTime() <= now) errors.expiresAt = 'past'
    else expires = at.toISOString()
  }
  let max: number | null = null
  if (form.maxUsage.trim()) {
    const n = Number(form.maxUsage)
    if (!Number.isInteger(n)) errors.maxUsage = 'invalid'
    else if (n < 1) errors.maxUsage = 'atLeastOne'
    else max = n
  }
  if (Object.keys(errors).length > 0) return { errors }
  return { body: { name, scope: form.scope, expires_at: expires, max_usage_count: max } }
}

/** A Prometheus scrape job for this server, with the key as bearer token. */
export function scrapeConfig(origin: string, token = '<your pk_ API key>'): string {
  const url = new URL(origin)
  return [
    'scrape_configs:',
    '  - job_name: peekaping',
    `    scheme: ${url.protocol.replace(':', '')}`,
    '    metrics_path: /metrics',
    '    authorization:',
    '      type: Bearer',
    `      credentials: ${token}`,
    '    static_configs:',
    `      - targets: ['${url.host}']`,
  ].join('\n')
}

export type BadgeKind = 'status' | 'uptime' | 'ping' | 'cert-exp' | 'response' | 'sparkline'
export const BADGE_KINDS: BadgeKind[] = ['status', 'uptime', 'ping', 'cert-exp', 'response', 'sparkline']
export type BadgeStyle = 'flat' | 'flat-square' | 'plastic' | 'for-the-badge' | 'social'
export const BADGE_STYLES: BadgeStyle[] = ['flat', 'flat-square', 'plastic', 'for-the-badge', 'social']

/** The public URL of a badge; `hours` only for the kinds that take a window. */
export function badgeUrl(origin: string, monitorId: string, kind: BadgeKind, style: BadgeStyle, hours?: number): string {
  const windowed = kind === 'uptime' || kind === 'ping' || kind === 'sparkline'
  const path = `/api/v1/badge/${encodeURIComponent(monitorId)}/${kind}${windowed && hours ? `/${hours}` : ''}`
  const query = style === 'flat' ? '' : `?style=${style}`
  return `${origin}${path}${query}`
}

/** Markdown that embeds a badge image. */
export function badgeMarkdown(url: string, alt: string): string {
  return `![${alt.replace(/[[\]]/g, '')}](${url})`
}
