import { Field } from '@/components/ui/field'
import { Input, NumberInput } from '@/components/ui/input'
import { t } from '@/i18n'
import { FormSection } from '@/monitors/FormSection'
import { compact, isHost, isPort } from '@/monitors/validation'
import { defineMonitorType, num, str } from './definition'

export interface TcpConfig {
  host: string
  port: number
}

export const tcp = defineMonitorType<TcpConfig>({
  type: 'tcp',
  label: 'type.tcp',
  description: 'type.tcp.description',
  fromConfig: (raw) => ({ host: str(raw, 'host') || hostOfUrl(str(raw, 'url')), port: num(raw, 'port', Number.NaN) }),
  toConfig: (c) => ({ host: c.host.trim(), port: c.port }),
  validate: (c) =>
    compact({
      host: c.host.trim() ? (isHost(c.host) ? undefined : t('validation.host')) : t('validation.required'),
      port: isPort(c.port) ? undefined : t('validation.port'),
    }),
  Form: ({ value, onChange, errors }) => (
    <FormSection title={t('form.section.config')}>
      <div className="grid gap-4 sm:grid-cols-[1fr_9rem]">
        <Field name="host" label={t('tcp.host')} error={errors.host}>
          {(control) => <Input {...control} value={value.host} placeholder="db.example.com" onChange={(event) => onChange({ host: event.target.value })} />}
        </Field>
        <Field name="port" label={t('tcp.port')} error={errors.port}>
          {(control) => <NumberInput {...control} min={1} max={65535} value={value.port} onValueChange={(port) => onChange({ port })} />}
        </Field>
      </div>
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
