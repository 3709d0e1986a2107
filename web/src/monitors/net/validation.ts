/**
 * Client-side mirror of the server's rules for the network monitor types (ping, dns, tls,
 * smtp, udp, websocket): src/domain/monitor_types/{host,ping,dns,tls,smtp,udp,websocket}.rs.
 */
import { t } from '@/i18n'

const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/

/** The host without IPv6 brackets and surrounding blanks. */
export function bareHost(host: string): string {
  const h = host.trim()
  return h.startsWith('[') && h.endsWith(']') ? h.slice(1, -1) : h
}

export function isIpv4(value: string): boolean {
  return IPV4.test(value)
}

/** An IPv6 address (optionally with an IPv4 tail), checked by shape like the server's parser. */
export function isIpv6(value: string): boolean {
  let v = value
  if (v.includes('.')) {
    const lastColon = v.lastIndexOf(':')
    if (lastColon < 0 || !isIpv4(v.slice(lastColon + 1))) return false
    v = `${v.slice(0, lastColon + 1)}0:0`
  }
  if (!/^[0-9a-fA-F:]+$/.test(v)) return false
  const parts = v.split('::')
  if (parts.length > 2) return false
  const groups = parts.flatMap((part) => (part ? part.split(':') : []))
  if (!groups.every((g) => g.length >= 1 && g.length <= 4)) return false
  return parts.length === 2 ? groups.length <= 7 : groups.length === 8
}

export function isIp(value: string): boolean {
  const v = bareHost(value)
  return isIpv4(v) || isIpv6(v)
}

/**
 * Why `host` is not an IP address or DNS name (labels of letters, digits, - and _, at most 63
 * characters each and 253 in all; `*` as a whole label when `wildcard`), or undefined.
 */
export function hostError(host: string, wildcard = false): string | undefined {
  const h = bareHost(host)
  if (!h) return t('validation.required')
  if (isIp(h)) return undefined
  if (/[\s/:]/.test(h)) return t('validation.host')
  const name = h.endsWith('.') ? h.slice(0, -1) : h
  if (name.length > 253) return t('net.validation.nameLength')
  for (const label of name.split('.')) {
    if (!label) return t('net.validation.emptyLabel')
    if (label.length > 63) return t('net.validation.labelLength')
    if (!/^[A-Za-z0-9_-]+$/.test(label) && !(wildcard && label === '*')) return t('net.validation.hostChars')
  }
  return undefined
}

/** Hex with two digits per byte; blanks and `:` may separate bytes. The byte count, or an error. */
export function hexError(text: string, maxBytes: number): string | undefined {
  const digits = text.replace(/[\s:]/g, '')
  if (!/^[0-9a-fA-F]*$/.test(digits)) return t('net.validation.hexDigits')
  if (digits.length % 2 !== 0) return t('net.validation.hexOdd')
  if (digits.length / 2 > maxBytes) return t('validation.max', { max: `${maxBytes} bytes` })
  return undefined
}

/** Optional PEM text: when given, it must hold a certificate. */
export function pemError(text: string): string | undefined {
  if (!text.trim()) return undefined
  return /-----BEGIN CERTIFICATE-----[\s\S]+-----END CERTIFICATE-----/.test(text) ? undefined : t('net.validation.pem')
}

export function integerIn(value: number, min: number, max: number): string | undefined {
  if (!Number.isInteger(value)) return t('validation.integer')
  if (value < min) return t('validation.min', { min })
  if (value > max) return t('validation.max', { max })
  return undefined
}
