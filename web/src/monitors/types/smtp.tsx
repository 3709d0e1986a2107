import { Checkbox } from '@/components/ui/checkbox'
import { Field } from '@/components/ui/field'
import { Select } from '@/components/ui/input'
import { t } from '@/i18n'
import { FormSection } from '@/monitors/FormSection'
import { CaField, HostPort } from '@/monitors/net/fields'
import { hostError, pemError } from '@/monitors/net/validation'
import { compact, isPort } from '@/monitors/validation'
import { bool, defineMonitorType, num, oneOf, str } from './definition'

export const SMTP_SECURITY = ['none', 'starttls', 'tls'] as const
export type SmtpSecurity = (typeof SMTP_SECURITY)[number]

/** The usual port of each mode, used when the user has not picked one. */
const DEFAULT_PORT: Record<SmtpSecurity, number> = { none: 25, starttls: 587, tls: 465 }

export interface SmtpConfig {
  host: string
  port: number
  security: SmtpSecurity
  ignore_tls_errors: boolean
  ca: string
}

export const smtp = defineMonitorType<SmtpConfig>({
  type: 'smtp',
  label: 'type.smtp',
  description: 'type.smtp.description',
  fromConfig: (raw) => {
    const security = oneOf(raw, 'security', SMTP_SECURITY, 'none')
    return {
      host: str(raw, 'host'),
      port: num(raw, 'port', DEFAULT_PORT[security]),
      security,
      ignore_tls_errors: bool(raw, 'ignore_tls_errors'),
      ca: str(raw, 'ca'),
    }
  },
  toConfig: (c) => ({
    host: c.host.trim(),
    port: c.port,
    security: c.security,
    ...(c.security === 'none' ? {} : { ignore_tls_errors: c.ignore_tls_errors, ca: c.ca }),
  }),
  validate: (c) =>
    compact({
      host: hostError(c.host),
      port: isPort(c.port) ? undefined : t('validation.port'),
      ca: c.security === 'none' ? undefined : pemError(c.ca),
    }),
  Form: (props) => {
    const { value, onChange, errors } = props
    return (
      <FormSection title={t('form.section.config')}>
        <HostPort<SmtpConfig> props={props} />
        <Field name="security" label={t('smtp.security')} hint={t('smtp.securityHint')} error={errors.security}>
          {(control) => (
            <Select
              {...control}
              value={value.security}
              onChange={(event) => {
                const security = event.target.value as SmtpSecurity
                // Follow the mode's usual port unless the user chose another one.
                const port = value.port === DEFAULT_PORT[value.security] ? DEFAULT_PORT[security] : value.port
                onChange({ security, port })
              }}
            >
              {SMTP_SECURITY.map((mode) => (
                <option key={mode} value={mode}>
                  {t(`smtp.security.${mode}`)}
                </option>
              ))}
            </Select>
          )}
        </Field>
        {value.security !== 'none' ? (
          <>
            <Checkbox
              label={t('http.ignoreTls')}
              hint={t('net.ignoreTlsHint')}
              checked={value.ignore_tls_errors}
              onChange={(event) => onChange({ ignore_tls_errors: event.target.checked })}
            />
            <CaField<SmtpConfig> props={props} />
          </>
        ) : null}
      </FormSection>
    )
  },
})
