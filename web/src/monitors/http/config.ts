/**
 * The HTTP family's shared config (http, http-keyword, http-json-query run on one checker):
 * defaults, parsing, serialisation (auth fields only for the chosen method) and validation.
 */
import { t } from '@/i18n'
import { compact, isHttpUrl, jsonError, MAX_REDIRECTS, validateStatusCodes, type FieldErrors } from '@/monitors/validation'
import type { Monitor, MonitorCreate } from '@/api/types'
import { bool, num, oneOf, str } from '@/monitors/types/definition'

export const HTTP_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'] as const
export const HTTP_ENCODINGS = ['json', 'form', 'xml', 'text'] as const
export const AUTH_METHODS = ['none', 'basic', 'ntlm', 'oauth2-cc', 'mtls'] as const
export const OAUTH_AUTH_METHODS = ['client_secret_basic', 'client_secret_post'] as const

export type HttpMethod = (typeof HTTP_METHODS)[number]
export type HttpEncoding = (typeof HTTP_ENCODINGS)[number]
export type AuthMethod = (typeof AUTH_METHODS)[number]
export type OAuthAuthMethod = (typeof OAUTH_AUTH_METHODS)[number]

export interface HttpConfig {
  url: string
  method: HttpMethod
  headers: string
  encoding: HttpEncoding
  body: string
  accepted_statuscodes: string[]
  max_redirects: number
  ignore_tls_errors: boolean
  check_cert_expiry: boolean
  authMethod: AuthMethod
  basic_auth_user: string
  basic_auth_pass: string
  authDomain: string
  authWorkstation: string
  oauth_auth_method: OAuthAuthMethod
  oauth_token_url: string
  oauth_client_id: string
  oauth_client_secret: string
  oauth_scopes: string
  tlsCert: string
  tlsKey: string
  tlsCa: string
  /** The monitor's proxy (a top-level monitor field, not part of `config`); '' for none. */
  proxy_id: string
}

export function httpFromConfig(raw: Record<string, unknown>, monitor?: Partial<Pick<Monitor, 'proxy_id'>>): HttpConfig {
  const codes = raw.accepted_statuscodes
  return {
    url: str(raw, 'url'),
    method: oneOf(raw, 'method', HTTP_METHODS, 'GET'),
    headers: str(raw, 'headers'),
    encoding: oneOf(raw, 'encoding', HTTP_ENCODINGS, 'json'),
    body: str(raw, 'body'),
    accepted_statuscodes: Array.isArray(codes) ? codes.map(String) : ['2XX'],
    max_redirects: num(raw, 'max_redirects', 10),
    ignore_tls_errors: bool(raw, 'ignore_tls_errors'),
    check_cert_expiry: bool(raw, 'check_cert_expiry'),
    authMethod: oneOf(raw, 'authMethod', AUTH_METHODS, 'none'),
    basic_auth_user: str(raw, 'basic_auth_user'),
    basic_auth_pass: str(raw, 'basic_auth_pass'),
    authDomain: str(raw, 'authDomain'),
    authWorkstation: str(raw, 'authWorkstation'),
    oauth_auth_method: oneOf(raw, 'oauth_auth_method', OAUTH_AUTH_METHODS, 'client_secret_basic'),
    oauth_token_url: str(raw, 'oauth_token_url'),
    oauth_client_id: str(raw, 'oauth_client_id'),
    oauth_client_secret: str(raw, 'oauth_client_secret'),
    oauth_scopes: str(raw, 'oauth_scopes'),
    tlsCert: str(raw, 'tlsCert'),
    tlsKey: str(raw, 'tlsKey'),
    tlsCa: str(raw, 'tlsCa'),
    proxy_id: monitor ? (monitor.proxy_id ?? '') : str(raw, 'proxy_id'),
  }
}

/** The monitor-level fields of the HTTP family: the proxy ('' sends none, which the server reads as direct). */
export function httpMonitorFields(c: HttpConfig): Partial<MonitorCreate> {
  return { proxy_id: c.proxy_id }
}

/** Longest NTLM domain and workstation names, as the server allows. */
export const NTLM_NAME_MAX = 255

export function httpToConfig(c: HttpConfig): Record<string, unknown> {
  const config: Record<string, unknown> = {
    url: c.url.trim(),
    method: c.method,
    headers: c.headers.trim(),
    encoding: c.encoding,
    body: c.body,
    accepted_statuscodes: c.accepted_statuscodes,
    max_redirects: c.max_redirects,
    ignore_tls_errors: c.ignore_tls_errors,
    check_cert_expiry: c.check_cert_expiry,
    authMethod: c.authMethod,
  }
  switch (c.authMethod) {
    case 'basic':
      Object.assign(config, { basic_auth_user: c.basic_auth_user, basic_auth_pass: c.basic_auth_pass })
      break
    case 'ntlm':
      Object.assign(config, {
        basic_auth_user: c.basic_auth_user,
        basic_auth_pass: c.basic_auth_pass,
        authDomain: c.authDomain,
        authWorkstation: c.authWorkstation,
      })
      break
    case 'oauth2-cc':
      Object.assign(config, {
        oauth_auth_method: c.oauth_auth_method,
        oauth_token_url: c.oauth_token_url.trim(),
        oauth_client_id: c.oauth_client_id,
        oauth_client_secret: c.oauth_client_secret,
        oauth_scopes: c.oauth_scopes,
      })
      break
    case 'mtls':
      Object.assign(config, { tlsCert: c.tlsCert, tlsKey: c.tlsKey, tlsCa: c.tlsCa })
      break
    case 'none':
      break
  }
  return config
}

export function validateHttp(c: HttpConfig): FieldErrors {
  const required = (value: string) => (value.trim() ? undefined : t('validation.required'))
  const errors: FieldErrors = {
    url: isHttpUrl(c.url) ? undefined : t('validation.url'),
    method: HTTP_METHODS.includes(c.method) ? undefined : t('validation.oneOf'),
    encoding: HTTP_ENCODINGS.includes(c.encoding) ? undefined : t('validation.oneOf'),
    headers: jsonError(c.headers, true),
    body: c.encoding === 'json' ? jsonError(c.body, false) : undefined,
    accepted_statuscodes: validateStatusCodes(c.accepted_statuscodes),
    max_redirects: !Number.isInteger(c.max_redirects)
      ? t('validation.integer')
      : c.max_redirects < 0
        ? t('validation.min', { min: 0 })
        : c.max_redirects > MAX_REDIRECTS
          ? t('validation.max', { max: MAX_REDIRECTS })
          : undefined,
  }
  // Mirrors the server: only the user name (basic, NTLM) and the OAuth client id are required.
  if (c.authMethod === 'basic' || c.authMethod === 'ntlm') {
    errors.basic_auth_user = required(c.basic_auth_user)
  }
  if (c.authMethod === 'ntlm') {
    if (!errors.basic_auth_user && c.basic_auth_user.includes('\\')) errors.basic_auth_user = t('http.ntlmUserBare')
    const tooLong = (v: string) => ([...v].length > NTLM_NAME_MAX ? t('validation.nameMax', { max: NTLM_NAME_MAX }) : undefined)
    errors.authDomain = tooLong(c.authDomain)
    errors.authWorkstation = tooLong(c.authWorkstation)
  }
  if (c.authMethod === 'oauth2-cc') {
    errors.oauth_token_url = isHttpUrl(c.oauth_token_url) ? undefined : t('validation.url')
    errors.oauth_client_id = required(c.oauth_client_id)
  }
  if (c.authMethod === 'mtls') {
    errors.tlsCert = required(c.tlsCert)
    errors.tlsKey = required(c.tlsKey)
  }
  return compact(errors)
}
