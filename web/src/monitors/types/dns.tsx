import { Field } from '@/components/ui/field'
import { Select } from '@/components/ui/input'
import { t } from '@/i18n'
import { FormSection } from '@/monitors/FormSection'
import { NumberField, TextInput } from '@/monitors/net/fields'
import { hostError, isIp, isIpv4, isIpv6 } from '@/monitors/net/validation'
import { compact, isPort } from '@/monitors/validation'
import { defineMonitorType, num, oneOf, str } from './definition'

export const RESOLVE_TYPES = ['A', 'AAAA', 'CAA', 'CNAME', 'MX', 'NS', 'PTR', 'SOA', 'SRV', 'TXT'] as const
export type ResolveType = (typeof RESOLVE_TYPES)[number]

export interface DnsConfig {
  host: string
  resolver_server: string
  port: number
  resolve_type: ResolveType
  expected_value: string
}

function expectedValueError(c: DnsConfig): string | undefined {
  const value = c.expected_value.trim()
  if (!value) return undefined
  if (c.resolve_type === 'A' && !isIpv4(value)) return t('dns.validation.expectedA')
  if (c.resolve_type === 'AAAA' && !isIpv6(value)) return t('dns.validation.expectedAaaa')
  return undefined
}

export const dns = defineMonitorType<DnsConfig>({
  type: 'dns',
  label: 'type.dns',
  description: 'type.dns.description',
  fromConfig: (raw) => ({
    host: str(raw, 'host') || str(raw, 'hostname'),
    resolver_server: str(raw, 'resolver_server', '1.1.1.1'),
    port: num(raw, 'port', 53),
    resolve_type: oneOf(raw, 'resolve_type', RESOLVE_TYPES, 'A'),
    expected_value: str(raw, 'expected_value'),
  }),
  toConfig: (c) => ({
    host: c.host.trim(),
    resolver_server: c.resolver_server.trim(),
    port: c.port,
    resolve_type: c.resolve_type,
    expected_value: c.expected_value.trim(),
  }),
  validate: (c) =>
    compact({
      host: hostError(c.host, true),
      resolver_server: isIp(c.resolver_server) ? undefined : t('dns.validation.resolver'),
      port: isPort(c.port) ? undefined : t('validation.port'),
      expected_value: expectedValueError(c),
    }),
  Form: (props) => (
    <FormSection title={t('form.section.config')}>
      <TextInput<DnsConfig> name="host" label="dns.host" hint="dns.hostHint" placeholder="example.com" props={props} />
      <div className="grid gap-4 sm:grid-cols-[1fr_9rem_9rem]">
        <TextInput<DnsConfig> name="resolver_server" label="dns.resolver" hint="dns.resolverHint" placeholder="1.1.1.1" props={props} />
        <NumberField<DnsConfig> name="port" label="tcp.port" min={1} max={65535} props={props} />
        <Field name="resolve_type" label={t('dns.resolveType')} error={props.errors.resolve_type}>
          {(control) => (
            <Select
              {...control}
              value={props.value.resolve_type}
              onChange={(event) => props.onChange({ resolve_type: event.target.value as ResolveType })}
            >
              {RESOLVE_TYPES.map((kind) => (
                <option key={kind} value={kind}>
                  {kind}
                </option>
              ))}
            </Select>
          )}
        </Field>
      </div>
      <TextInput<DnsConfig> name="expected_value" label="dns.expectedValue" hint="dns.expectedValueHint" props={props} />
    </FormSection>
  ),
})
