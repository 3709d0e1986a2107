/**
 * Client-side checks that mirror the server's monitor validation, so most mistakes are caught
 * before a round trip. The server stays the authority: its `error.field` is mapped back onto
 * the form by `fieldOfServerError`.
 */
import { t } from '@/i18n'

/** Field name → message. Common fields use their API names; config fields their config keys. */
export type FieldErrors = Partial<Record<string, string>>

export interface MonitorLimits {
  /** Smallest interval and retry interval the server accepts, in seconds. */
  minInterval: number
  /** Whether the server told us (otherwise the minimum is not checked here). */
  known: boolean
}

/** Upper bounds the server enforces (src/domain/monitor.rs, monitor_config.rs). */
export const MAX_INTERVAL = 30 * 24 * 3600
export const NAME_MAX = 255
export const MAX_RETRIES = 1000
export const MAX_RESEND_INTERVAL = 100_000
/** The server's bound on flap damping (`notify_after_failures`/`notify_after_successes`). */
export const MAX_NOTIFY_AFTER = 100
export const MAX_REDIRECTS = 30

/** Shortest timeout: 80% of the minimum interval (Peekaping's 16 s at 20 s), at least 1 s. */
export function minTimeout(limits: MonitorLimits): number {
  return Math.max(1, Math.floor((limits.minInterval * 4) / 5))
}

/** Peekaping's limits, the server's default. */
export const DEFAULT_LIMITS: MonitorLimits = { minInterval: 20, known: true }
/** When the server does not advertise its minimum: check everything but the minimum. */
export const UNKNOWN_LIMITS: MonitorLimits = { minInterval: 1, known: false }

export interface CommonFields {
  name: string
  interval: number
  timeout: number
  max_retries: number
  retry_interval: number
  resend_interval: number
  /** Flap damping: notify DOWN after this many consecutive DOWN beats (1–100). */
  notify_after_failures: number
  /** Notify the recovery after this many consecutive UP beats (1–100). */
  notify_after_successes: number
}

export const COMMON_FIELD_NAMES = [
  'type', 'name', 'interval', 'timeout', 'max_retries', 'retry_interval', 'resend_interval', 'active',
  'notify_after_failures', 'notify_after_successes', 'depends_on',
] as const

function integerError(value: number, min: number, max?: number): string | undefined {
  if (!Number.isFinite(value) || !Number.isInteger(value)) return t('validation.integer')
  if (value < min) return t('validation.min', { min })
  if (max !== undefined && value > max) return t('validation.max', { max })
  return undefined
}

/**
 * The server accepts a timeout from `minTimeout` up to the interval itself. The form suggests
 * 0.8 × interval, Peekaping's default (48 s for 60 s).
 */
export function suggestedTimeout(interval: number): number {
  return Number.isFinite(interval) ? Math.max(1, Math.floor(interval * 0.8)) : 48
}

export function validateCommon(fields: CommonFields, limits: MonitorLimits = DEFAULT_LIMITS): FieldErrors {
  const errors: FieldErrors = {}
  const name = [...fields.name.trim()].length
  if (!name) errors.name = t('validation.required')
  else if (name < 3) errors.name = t('validation.nameMin')
  else if (name > NAME_MAX) errors.name = t('validation.nameMax', { max: NAME_MAX })

  errors.interval = integerError(fields.interval, limits.minInterval, MAX_INTERVAL)
  errors.timeout = integerError(fields.timeout, minTimeout(limits))
  if (!errors.timeout && !errors.interval && fields.timeout > fields.interval) {
    errors.timeout = t('validation.timeoutVsInterval', { interval: fields.interval })
  }
  errors.max_retries = integerError(fields.max_retries, 0, MAX_RETRIES)
  errors.retry_interval = integerError(fields.retry_interval, limits.minInterval, MAX_INTERVAL)
  errors.resend_interval = integerError(fields.resend_interval, 0, MAX_RESEND_INTERVAL)
  errors.notify_after_failures = integerError(fields.notify_after_failures, 1, MAX_NOTIFY_AFTER)
  errors.notify_after_successes = integerError(fields.notify_after_successes, 1, MAX_NOTIFY_AFTER)
  return compact(errors)
}

/** Drops undefined entries so `Object.keys(errors).length` means "has errors". */
export function compact(errors: FieldErrors): FieldErrors {
  const out: FieldErrors = {}
  for (const [key, value] of Object.entries(errors)) if (value) out[key] = value
  return out
}

const STATUS_CLASS = /^[1-5]XX$/i
const STATUS_CODE = /^\d{3}$/
const STATUS_RANGE = /^(\d{3})\s*-\s*(\d{3})$/

function inHttpRange(code: number): boolean {
  return code >= 100 && code <= 599
}

/** Is one accepted-status-code entry valid: a class (2XX), a code (204) or a range (200-299)? */
export function isValidStatusCode(entry: string): boolean {
  const value = entry.trim()
  if (STATUS_CLASS.test(value)) return true
  if (STATUS_CODE.test(value)) return inHttpRange(Number(value))
  const range = STATUS_RANGE.exec(value)
  if (range) {
    const from = Number(range[1])
    const to = Number(range[2])
    return inHttpRange(from) && inHttpRange(to) && from <= to
  }
  return false
}

/** An empty list is allowed: the server treats it as 2XX. */
export function validateStatusCodes(codes: readonly string[]): string | undefined {
  return codes.every(isValidStatusCode) ? undefined : t('validation.statusCodes')
}

/** Splits "2XX, 204 200-299" into entries, upper-casing classes and tightening ranges. */
export function parseStatusCodes(text: string): string[] {
  return text
    .replace(/\s*-\s*/g, '-')
    .split(/[,;\s]+/)
    .filter(Boolean)
    .map((entry) => (STATUS_CLASS.test(entry) ? entry.toUpperCase() : entry))
}

export function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value.trim())
    return (url.protocol === 'http:' || url.protocol === 'https:') && Boolean(url.hostname)
  } catch {
    return false
  }
}

export function jsonError(text: string, requireObject: boolean): string | undefined {
  if (!text.trim()) return undefined
  try {
    const value: unknown = JSON.parse(text)
    if (requireObject && (typeof value !== 'object' || value === null || Array.isArray(value))) return t('validation.jsonObject')
    return undefined
  } catch {
    return requireObject ? t('validation.jsonObject') : t('validation.json')
  }
}

/** A host name or IP address: the server rejects whitespace and slashes (so no scheme or path). */
export function isHost(value: string): boolean {
  const host = value.trim()
  return Boolean(host) && !/[\s/]/.test(host)
}

export function isPort(value: number): boolean {
  return Number.isInteger(value) && value >= 1 && value <= 65535
}

/**
 * Where a server validation error belongs: "config.url" and "url" both map to the `url` field,
 * "accepted_statuscodes[1]" to `accepted_statuscodes`.
 */
export function fieldOfServerError(field: string | undefined): string | undefined {
  if (!field) return undefined
  return field
    .replace(/^(body\.|config\.)/, '')
    .replace(/\[\d+\]$/, '')
    .replace(/\.\d+$/, '')
}
