import { Checkbox } from '@/components/ui/checkbox'
import { Field } from '@/components/ui/field'
import { Textarea } from '@/components/ui/input'
import { t } from '@/i18n'
import { FormSection } from '@/monitors/FormSection'
import { CaField, TextInput } from '@/monitors/net/fields'
import { pemError } from '@/monitors/net/validation'
import { compact, jsonError } from '@/monitors/validation'
import { bool, defineMonitorType, str } from './definition'

export interface WebsocketConfig {
  url: string
  headers: string
  subprotocol: string
  send: string
  expect: string
  ignore_tls_errors: boolean
  ca: string
}

export function isWebsocketUrl(value: string): boolean {
  try {
    const url = new URL(value.trim())
    return (url.protocol === 'ws:' || url.protocol === 'wss:') && Boolean(url.hostname)
  } catch {
    return false
  }
}

/** A single token of RFC 7230 (what Sec-WebSocket-Protocol carries). */
const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/

export const websocket = defineMonitorType<WebsocketConfig>({
  type: 'websocket',
  label: 'type.websocket',
  description: 'type.websocket.description',
  fromConfig: (raw) => {
    const headers = raw.headers
    const url = str(raw, 'url')
    return {
      url: url.startsWith('http') ? url.replace(/^http/, 'ws') : url,
      headers: headers && typeof headers === 'object' ? JSON.stringify(headers, null, 2) : str(raw, 'headers'),
      subprotocol: str(raw, 'subprotocol'),
      send: str(raw, 'send'),
      expect: str(raw, 'expect'),
      ignore_tls_errors: bool(raw, 'ignore_tls_errors'),
      ca: str(raw, 'ca'),
    }
  },
  toConfig: (c) => ({
    url: c.url.trim(),
    headers: c.headers.trim(),
    subprotocol: c.subprotocol.trim(),
    send: c.send,
    expect: c.expect,
    ignore_tls_errors: c.ignore_tls_errors,
    ca: c.ca,
  }),
  validate: (c) =>
    compact({
      url: isWebsocketUrl(c.url) ? undefined : t('websocket.validation.url'),
      headers: jsonError(c.headers, true),
      subprotocol: !c.subprotocol.trim() || TOKEN.test(c.subprotocol.trim()) ? undefined : t('websocket.validation.subprotocol'),
      ca: pemError(c.ca),
    }),
  Form: (props) => {
    const { value, onChange, errors } = props
    const secure = value.url.trim().toLowerCase().startsWith('wss:')
    return (
      <FormSection title={t('form.section.config')}>
        <TextInput<WebsocketConfig> name="url" label="http.url" placeholder="wss://example.com/socket" props={props} />
        <div className="grid gap-4 sm:grid-cols-2">
          <TextInput<WebsocketConfig> name="send" label="websocket.send" hint="websocket.sendHint" props={props} />
          <TextInput<WebsocketConfig> name="expect" label="websocket.expect" hint="websocket.expectHint" props={props} />
        </div>
        <TextInput<WebsocketConfig> name="subprotocol" label="websocket.subprotocol" hint="websocket.subprotocolHint" placeholder="graphql-ws" props={props} />
        <Field name="headers" label={t('http.headers')} error={errors.headers}>
          {(control) => (
            <Textarea
              {...control}
              rows={3}
              spellCheck={false}
              placeholder={'{"Authorization": "Bearer …"}'}
              value={value.headers}
              onChange={(event) => onChange({ headers: event.target.value })}
            />
          )}
        </Field>
        {secure ? (
          <>
            <Checkbox
              label={t('http.ignoreTls')}
              hint={t('net.ignoreTlsHint')}
              checked={value.ignore_tls_errors}
              onChange={(event) => onChange({ ignore_tls_errors: event.target.checked })}
            />
            <CaField<WebsocketConfig> props={props} />
          </>
        ) : null}
      </FormSection>
    )
  },
})
