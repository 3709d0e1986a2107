import { t } from '@/i18n'
import { FormSection } from '@/monitors/FormSection'
import { CaField, HostPort, NumberField, TextInput } from '@/monitors/net/fields'
import { hostError, integerIn, pemError } from '@/monitors/net/validation'
import { compact, isPort } from '@/monitors/validation'
import { defineMonitorType, num, str } from './definition'

export interface TlsConfig {
  host: string
  port: number
  servername: string
  ca: string
  min_days_remaining: number
}

export const tls = defineMonitorType<TlsConfig>({
  type: 'tls',
  label: 'type.tls',
  description: 'type.tls.description',
  fromConfig: (raw) => ({
    host: str(raw, 'host') || hostOfUrl(str(raw, 'url')),
    port: num(raw, 'port', 443),
    servername: str(raw, 'servername'),
    ca: str(raw, 'ca'),
    min_days_remaining: num(raw, 'min_days_remaining', 0),
  }),
  toConfig: (c) => ({
    host: c.host.trim(),
    port: c.port,
    servername: c.servername.trim(),
    ca: c.ca,
    min_days_remaining: c.min_days_remaining,
  }),
  validate: (c) =>
    compact({
      host: hostError(c.host),
      port: isPort(c.port) ? undefined : t('validation.port'),
      servername: c.servername.trim() ? hostError(c.servername) : undefined,
      ca: pemError(c.ca),
      min_days_remaining: integerIn(c.min_days_remaining, 0, 3650),
    }),
  Form: (props) => (
    <FormSection title={t('form.section.config')}>
      <HostPort<TlsConfig> props={props} />
      <div className="grid gap-4 sm:grid-cols-[1fr_12rem]">
        <TextInput<TlsConfig> name="servername" label="tls.servername" hint="tls.servernameHint" placeholder="api.example.com" props={props} />
        <NumberField<TlsConfig> name="min_days_remaining" label="tls.minDays" hint="tls.minDaysHint" min={0} max={3650} props={props} />
      </div>
      <CaField<TlsConfig> props={props} />
    </FormSection>
  ),
})

/** When switching from an HTTP type, start from the URL's host. */
function hostOfUrl(url: string): string {
  try {
    return url ? new URL(url).hostname : ''
  } catch {
    return ''
  }
}
