import { useQuery } from '@tanstack/react-query'
import { useEffect, useState, type ReactNode } from 'react'
import { listProxies, proxyKeys, proxyLabel } from '@/api/proxies'
import { Checkbox } from '@/components/ui/checkbox'
import { Field } from '@/components/ui/field'
import { Input, NumberInput, Select, Textarea } from '@/components/ui/input'
import { t, type MessageKey } from '@/i18n'
import { FormSection } from '@/monitors/FormSection'
import type { TypeFormProps } from '@/monitors/types/definition'
import { parseStatusCodes } from '@/monitors/validation'
import { AUTH_METHODS, HTTP_ENCODINGS, HTTP_METHODS, OAUTH_AUTH_METHODS, type HttpConfig } from './config'

/** Free-text entry of accepted status codes; keeps what the user typed while it is incomplete. */
function StatusCodesInput({ value, onChange, error }: { value: string[]; onChange: (codes: string[]) => void; error?: string }) {
  const [text, setText] = useState(() => value.join(', '))
  useEffect(() => {
    // Follow outside changes (type switch, server data) without fighting the user's typing.
    if (parseStatusCodes(text).join(',') !== value.join(',')) setText(value.join(', '))
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [value])
  return (
    <Field name="accepted_statuscodes" label={t('http.acceptedStatusCodes')} hint={t('http.acceptedStatusCodesHint')} error={error}>
      {(control) => (
        <Input
          {...control}
          value={text}
          placeholder="2XX, 301, 200-299"
          onChange={(event) => {
            setText(event.target.value)
            onChange(parseStatusCodes(event.target.value))
          }}
        />
      )}
    </Field>
  )
}

function TextField<C>({
  name,
  label,
  props,
  type = 'text',
  hint,
  autoComplete = 'off',
}: {
  name: keyof C & string
  label: MessageKey
  props: TypeFormProps<C>
  type?: string
  hint?: string
  autoComplete?: string
}) {
  return (
    <Field name={name} label={t(label)} hint={hint} error={props.errors[name]}>
      {(control) => (
        <Input
          {...control}
          type={type}
          autoComplete={autoComplete}
          value={String(props.value[name] ?? '')}
          onChange={(event) => props.onChange({ [name]: event.target.value } as Partial<C>)}
        />
      )}
    </Field>
  )
}

function PemField<C>({ name, label, props }: { name: keyof C & string; label: MessageKey; props: TypeFormProps<C> }) {
  return (
    <Field name={name} label={t(label)} error={props.errors[name]}>
      {(control) => (
        <Textarea
          {...control}
          rows={4}
          spellCheck={false}
          placeholder="-----BEGIN …-----"
          value={String(props.value[name] ?? '')}
          onChange={(event) => props.onChange({ [name]: event.target.value } as Partial<C>)}
        />
      )}
    </Field>
  )
}

/** The monitor's proxy, chosen from GET /proxies; "none" connects directly. */
function ProxySelect({ value, onChange, error }: { value: string; onChange: (id: string) => void; error?: string }) {
  const { data: proxies, isError, isPending } = useQuery({ queryKey: proxyKeys.list(), queryFn: ({ signal }) => listProxies(signal) })
  const known = proxies?.some((p) => p.id === value) ?? false
  return (
    <FormSection title={t('http.section.proxy')}>
      <Field name="proxy_id" label={t('http.proxy')} hint={isError ? t('http.proxyLoadError') : t('http.proxyHint')} error={error} className="sm:max-w-md">
        {(control) => (
          <Select {...control} value={value} disabled={isPending || isError} onChange={(event) => onChange(event.target.value)}>
            <option value="">{t('http.proxyNone')}</option>
            {value && !known ? <option value={value}>{t('http.proxyUnknown', { id: value })}</option> : null}
            {(proxies ?? []).map((p) => (
              <option key={p.id} value={p.id}>
                {proxyLabel(p)}
                {p.auth ? ` (${p.username})` : ''}
              </option>
            ))}
          </Select>
        )}
      </Field>
    </FormSection>
  )
}

/**
 * The request, response and authentication fields shared by the HTTP family. Type-specific
 * fields (keyword, JSON query) are passed as children and shown after the URL.
 */
export function HttpFields<C extends HttpConfig>({ children, ...props }: TypeFormProps<C> & { children?: ReactNode }) {
  const { value, onChange, errors } = props
  const set = (patch: Partial<HttpConfig>) => onChange(patch as Partial<C>)
  const hasBody = value.method !== 'GET' && value.method !== 'HEAD'

  return (
    <>
      <FormSection title={t('http.section.request')}>
        <TextField<C> name="url" label="http.url" props={props} type="url" autoComplete="url" />
        {children}
        <div className="grid gap-4 sm:grid-cols-2">
          <Field name="method" label={t('http.method')} error={errors.method}>
            {(control) => (
              <Select {...control} value={value.method} onChange={(event) => set({ method: event.target.value as HttpConfig['method'] })}>
                {HTTP_METHODS.map((method) => (
                  <option key={method} value={method}>
                    {method}
                  </option>
                ))}
              </Select>
            )}
          </Field>
          <Field name="encoding" label={t('http.encoding')} error={errors.encoding}>
            {(control) => (
              <Select {...control} value={value.encoding} onChange={(event) => set({ encoding: event.target.value as HttpConfig['encoding'] })}>
                {HTTP_ENCODINGS.map((encoding) => (
                  <option key={encoding} value={encoding}>
                    {encoding.toUpperCase()}
                  </option>
                ))}
              </Select>
            )}
          </Field>
        </div>
        {hasBody || value.body ? (
          <Field name="body" label={t('http.body')} error={errors.body}>
            {(control) => (
              <Textarea {...control} rows={4} spellCheck={false} value={value.body} onChange={(event) => set({ body: event.target.value })} />
            )}
          </Field>
        ) : null}
        <Field name="headers" label={t('http.headers')} error={errors.headers}>
          {(control) => (
            <Textarea
              {...control}
              rows={3}
              spellCheck={false}
              placeholder={'{ "Authorization": "Bearer …" }'}
              value={value.headers}
              onChange={(event) => set({ headers: event.target.value })}
            />
          )}
        </Field>
      </FormSection>

      <ProxySelect value={value.proxy_id} error={errors.proxy_id} onChange={(proxy_id) => set({ proxy_id })} />

      <FormSection title={t('http.section.advanced')}>
        <StatusCodesInput value={value.accepted_statuscodes} error={errors.accepted_statuscodes} onChange={(codes) => set({ accepted_statuscodes: codes })} />
        <Field name="max_redirects" label={t('http.maxRedirects')} hint={t('http.maxRedirectsHint')} error={errors.max_redirects} className="sm:max-w-xs">
          {(control) => <NumberInput {...control} min={0} value={value.max_redirects} onValueChange={(n) => set({ max_redirects: n })} />}
        </Field>
        <Checkbox label={t('http.ignoreTls')} checked={value.ignore_tls_errors} onChange={(event) => set({ ignore_tls_errors: event.target.checked })} />
        <Checkbox label={t('http.checkCertExpiry')} checked={value.check_cert_expiry} onChange={(event) => set({ check_cert_expiry: event.target.checked })} />
      </FormSection>

      <FormSection title={t('http.section.auth')}>
        <Field name="authMethod" label={t('http.authMethod')} error={errors.authMethod} className="sm:max-w-xs">
          {(control) => (
            <Select {...control} value={value.authMethod} onChange={(event) => set({ authMethod: event.target.value as HttpConfig['authMethod'] })}>
              {AUTH_METHODS.map((method) => (
                <option key={method} value={method}>
                  {t(`http.auth.${method}` as MessageKey)}
                </option>
              ))}
            </Select>
          )}
        </Field>
        {value.authMethod === 'basic' || value.authMethod === 'ntlm' ? (
          <div className="grid gap-4 sm:grid-cols-2">
            <TextField<C> name="basic_auth_user" label="http.basicUser" props={props} />
            <TextField<C> name="basic_auth_pass" label="http.basicPass" props={props} type="password" autoComplete="new-password" />
          </div>
        ) : null}
        {value.authMethod === 'ntlm' ? (
          <div className="grid gap-4 sm:grid-cols-2">
            <TextField<C> name="authDomain" label="http.authDomain" hint={t('http.authDomainHint')} props={props} />
            <TextField<C> name="authWorkstation" label="http.authWorkstation" hint={t('http.authWorkstationHint')} props={props} />
          </div>
        ) : null}
        {value.authMethod === 'oauth2-cc' ? (
          <>
            <Field name="oauth_auth_method" label={t('http.oauthAuthMethod')} error={errors.oauth_auth_method} className="sm:max-w-xs">
              {(control) => (
                <Select
                  {...control}
                  value={value.oauth_auth_method}
                  onChange={(event) => set({ oauth_auth_method: event.target.value as HttpConfig['oauth_auth_method'] })}
                >
                  {OAUTH_AUTH_METHODS.map((method) => (
                    <option key={method} value={method}>
                      {t(`http.oauth.${method}` as MessageKey)}
                    </option>
                  ))}
                </Select>
              )}
            </Field>
            <TextField<C> name="oauth_token_url" label="http.oauthTokenUrl" props={props} type="url" />
            <div className="grid gap-4 sm:grid-cols-2">
              <TextField<C> name="oauth_client_id" label="http.oauthClientId" props={props} />
              <TextField<C> name="oauth_client_secret" label="http.oauthClientSecret" props={props} type="password" autoComplete="new-password" />
            </div>
            <TextField<C> name="oauth_scopes" label="http.oauthScopes" props={props} />
          </>
        ) : null}
        {value.authMethod === 'mtls' ? (
          <>
            <PemField<C> name="tlsCert" label="http.tlsCert" props={props} />
            <PemField<C> name="tlsKey" label="http.tlsKey" props={props} />
            <PemField<C> name="tlsCa" label="http.tlsCa" props={props} />
          </>
        ) : null}
      </FormSection>
    </>
  )
}

export { TextField }
