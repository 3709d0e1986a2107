/**
 * The declared fields of a notification provider's config and the checks and conversions
 * that follow from them. Plain data and functions (no React), shared by definition.ts and the
 * generic form.
 */
import { SECRET_MASK } from '@/api/notifications'
import { t, type MessageKey } from '@/i18n'

/** The Liquid bindings every template sees (the server's `Notice` bindings). */
export const TEMPLATE_BINDINGS = ['name', 'status', 'status_icon', 'status_color', 'ping', 'time', 'msg', 'monitor.*', 'heartbeat.*'] as const

/** Form state: text inputs (numbers too, so an empty box stays empty) and checkboxes. */
export type ProviderConfig = Record<string, string | boolean>

export type FieldKind =
  /** One line of text. */
  | 'text'
  /** An http(s) URL. */
  | 'url'
  /** A password input; the server reads it back as `********`. */
  | 'secret'
  /** A secret http(s) URL (a webhook whose URL is its credential). */
  | 'secret-url'
  /** Several lines of plain text. */
  | 'textarea'
  /** A Liquid template (shown with the list of bindings). */
  | 'template'
  | 'select'
  | 'boolean'
  /** An integer, sent as a JSON number (omitted when empty). */
  | 'number'
  /** One e-mail address (`Name <a@b.c>` allowed). */
  | 'email'
  /** Comma-separated e-mail addresses. */
  | 'emails'
  /** A JSON object of header names to values, kept as the text the user typed. */
  | 'json-object'
  /** A phone number in E.164 form (+4915112345678). */
  | 'e164'

export interface ProviderField {
  /** The config key the server reads. */
  key: string
  kind: FieldKind
  label: MessageKey
  hint?: MessageKey
  placeholder?: string
  /** Required always, or when the rest of the config says so. */
  required?: boolean | ((config: ProviderConfig) => boolean)
  /** Shown only when this says so (hidden fields are still sent, but not validated). */
  visible?: (config: ProviderConfig) => boolean
  /** Listed under the "Advanced" disclosure (base-URL overrides and the like). */
  advanced?: boolean
  options?: readonly { value: string; label: MessageKey }[]
  min?: number
  max?: number
  /** The form value of a new channel. */
  initial?: string | boolean
  /** Reads a stored value when the default (string/number → text, boolean) is not right. */
  decode?: (raw: unknown) => string | boolean
  /** Writes the form value when the default is not right; `undefined` leaves the key out. */
  encode?: (value: string | boolean) => unknown
}

const SECRET_KINDS: readonly FieldKind[] = ['secret', 'secret-url']

export function isSecretField(field: ProviderField): boolean {
  return SECRET_KINDS.includes(field.kind)
}

export function isShown(field: ProviderField, config: ProviderConfig): boolean {
  return field.visible ? field.visible(config) : true
}

export function isRequired(field: ProviderField, config: ProviderConfig): boolean {
  return typeof field.required === 'function' ? field.required(config) : Boolean(field.required)
}

export function initialValue(field: ProviderField): string | boolean {
  if (field.initial !== undefined) return field.initial
  if (field.kind === 'boolean') return false
  if (field.kind === 'select') return field.options?.[0]?.value ?? ''
  return ''
}

/** `true`, `"true"`, `1`, `"1"`: the server's loose booleans. */
export function looseBool(raw: unknown): boolean {
  if (typeof raw === 'boolean') return raw
  if (typeof raw === 'number') return raw !== 0
  if (typeof raw === 'string') return ['true', '1', 'yes', 'on'].includes(raw.trim().toLowerCase())
  return false
}

export function decodeDefault(field: ProviderField, raw: unknown): string | boolean {
  if (raw === undefined || raw === null) return initialValue(field)
  if (field.kind === 'boolean') return looseBool(raw)
  if (field.kind === 'json-object' && typeof raw === 'object') return JSON.stringify(raw, null, 2)
  if (typeof raw === 'string') {
    if (field.kind === 'select' && field.options && !field.options.some((o) => o.value === raw)) return initialValue(field)
    return raw
  }
  if (typeof raw === 'number' || typeof raw === 'boolean') return String(raw)
  return initialValue(field)
}

export function encodeDefault(field: ProviderField, value: string | boolean): unknown {
  if (field.kind === 'boolean') return Boolean(value)
  const text = typeof value === 'string' ? value : String(value)
  if (field.kind === 'number') {
    const trimmed = text.trim()
    return trimmed === '' || !Number.isFinite(Number(trimmed)) ? undefined : Number(trimmed)
  }
  // Templates and bodies keep their whitespace; secrets are sent exactly as typed.
  if (field.kind === 'template' || field.kind === 'textarea' || isSecretField(field)) return text
  return text.trim()
}

/** The server's URL rule: http or https with a host. */
export function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value.trim())
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== ''
  } catch {
    return false
  }
}

const MAILBOX = /^(?:[^<>]*<\s*[^\s@<>]+@[^\s@<>]+\s*>|[^\s@<>]+@[^\s@<>]+)$/

/** `a@b.c` or `Name <a@b.c>` (loose: the server's parser has the last word). */
export function isMailbox(value: string): boolean {
  return MAILBOX.test(value.trim())
}

/** Comma- or semicolon-separated addresses, blanks dropped. */
export function mailboxList(value: string): string[] {
  return value
    .split(/[,;]/)
    .map((part) => part.trim())
    .filter(Boolean)
}

const E164 = /^\+[1-9]\d{1,14}$/

/** Checks one field's value; `undefined` when it is fine. */
export function fieldError(field: ProviderField, config: ProviderConfig): string | undefined {
  const value = config[field.key]
  if (field.kind === 'boolean') return undefined
  const text = typeof value === 'string' ? value.trim() : ''
  if (!text) return isRequired(field, config) ? t('validation.required') : undefined
  // A stored secret the user did not touch: the server fills in the real value.
  if (isSecretField(field) && text === SECRET_MASK) return undefined
  switch (field.kind) {
    case 'url':
    case 'secret-url':
      return isHttpUrl(text) ? undefined : t('validation.url')
    case 'number': {
      const n = Number(text)
      if (!Number.isInteger(n)) return t('validation.integer')
      if (field.min !== undefined && n < field.min) return t('validation.min', { min: field.min })
      if (field.max !== undefined && n > field.max) return t('validation.max', { max: field.max })
      return undefined
    }
    case 'select':
      return field.options && !field.options.some((o) => o.value === text) ? t('validation.oneOf') : undefined
    case 'email':
      return isMailbox(text) ? undefined : t('validation.email', { address: text })
    case 'emails': {
      const bad = mailboxList(text).find((address) => !isMailbox(address))
      return bad ? t('validation.email', { address: bad }) : undefined
    }
    case 'e164':
      return E164.test(text) ? undefined : t('validation.e164')
    case 'json-object':
      return jsonObjectError(text)
    default:
      return undefined
  }
}

function jsonObjectError(text: string): string | undefined {
  let parsed: unknown
  try {
    parsed = JSON.parse(text)
  } catch {
    return t('validation.json')
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return t('validation.jsonObject')
  const nested = Object.values(parsed).some((v) => typeof v === 'object' && v !== null)
  return nested ? t('validation.jsonObject') : undefined
}

/** Shorthands for the fields most providers share. */
export const when =
  (key: string, ...values: (string | boolean)[]) =>
  (config: ProviderConfig): boolean =>
    values.includes(config[key] ?? '')

/** `use_template` + `template`, the pair Peekaping's chat providers share. */
export function templateFields(label: MessageKey = 'notify.field.template'): ProviderField[] {
  return [
    { key: 'use_template', kind: 'boolean', label: 'notify.field.use_template', hint: 'notify.field.use_template.hint' },
    { key: 'template', kind: 'template', label, visible: when('use_template', true), required: when('use_template', true) },
  ]
}

/** The optional base-URL override of a hosted provider (tests and self-hosted gateways). */
export function apiUrlField(key = 'api_url', placeholder?: string): ProviderField {
  return { key, kind: 'url', label: 'notify.field.api_url', hint: 'notify.field.api_url.hint', advanced: true, placeholder }
}
