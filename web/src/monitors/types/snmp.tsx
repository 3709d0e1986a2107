import { t } from '@/i18n'
import { PortConfigField, SelectConfigField, TextConfigField } from '@/monitors/ConfigFields'
import { FormSection } from '@/monitors/FormSection'
import { compact, isPort } from '@/monitors/validation'
import { defineMonitorType, num, oneOf, str } from './definition'
import { isMqttHost } from './mqtt'

/** v3 is listed so stored v3 monitors show what they are; the server refuses it for now. */
export const SNMP_VERSIONS = ['v1', 'v2c', 'v3'] as const
export const SNMP_OPERATORS = ['eq', 'ne', 'lt', 'gt', 'le', 'ge'] as const

export interface SnmpConfig {
  host: string
  port: number
  community: string
  snmp_version: (typeof SNMP_VERSIONS)[number]
  oid: string
  json_path: string
  json_path_operator: (typeof SNMP_OPERATORS)[number]
  expected_value: string
}

/** A numeric OID such as 1.3.6.1.2.1.1.1.0 (a leading dot is allowed). */
export function isOid(value: string): boolean {
  const arcs = value.trim().replace(/^\./, '').split('.')
  if (arcs.length < 2 || arcs.length > 128 || !arcs.every((arc) => /^\d+$/.test(arc))) return false
  const [first, second] = arcs.map(Number)
  return first !== undefined && second !== undefined && first <= 2 && (first === 2 || second <= 39)
}

export const snmp = defineMonitorType<SnmpConfig>({
  type: 'snmp',
  label: 'type.snmp',
  description: 'type.snmp.description',
  fromConfig: (raw) => ({
    host: str(raw, 'host') || str(raw, 'hostname'),
    port: num(raw, 'port', 161),
    community: str(raw, 'community', 'public'),
    snmp_version: oneOf(raw, 'snmp_version', SNMP_VERSIONS, 'v2c'),
    oid: str(raw, 'oid'),
    json_path: str(raw, 'json_path', '$'),
    json_path_operator: oneOf(raw, 'json_path_operator', SNMP_OPERATORS, 'eq'),
    expected_value: str(raw, 'expected_value'),
  }),
  toConfig: (c) => ({
    host: c.host.trim(),
    port: c.port,
    community: c.community,
    snmp_version: c.snmp_version,
    oid: c.oid.trim(),
    json_path: c.json_path.trim(),
    json_path_operator: c.json_path_operator,
    expected_value: c.expected_value,
  }),
  validate: (c) =>
    compact({
      host: isMqttHost(c.host) && !c.host.includes('://') ? undefined : t('validation.host'),
      port: isPort(c.port) ? undefined : t('validation.port'),
      snmp_version: c.snmp_version === 'v3' ? t('validation.snmpV3') : undefined,
      community: !c.community ? t('validation.required') : c.community.length > 255 ? t('validation.max', { max: 255 }) : undefined,
      oid: isOid(c.oid) ? undefined : t('validation.oid'),
    }),
  Form: ({ value, onChange, errors }) => (
    <>
      <FormSection title={t('form.section.config')}>
        <div className="grid gap-4 sm:grid-cols-[1fr_9rem]">
          <TextConfigField name="host" label={t('tcp.host')} errors={errors} value={value.host} placeholder="switch-1.example.com" onChange={(host) => onChange({ host })} />
          <PortConfigField name="port" label={t('tcp.port')} errors={errors} value={value.port} onChange={(port) => onChange({ port })} />
        </div>
        <div className="grid gap-4 sm:grid-cols-2">
          <SelectConfigField
            name="snmp_version"
            label={t('snmp.version')}
            errors={errors}
            value={value.snmp_version}
            options={SNMP_VERSIONS.map((version) => ({ value: version, label: t(`snmp.version.${version}`) }))}
            onChange={(snmp_version) => onChange({ snmp_version })}
          />
          <TextConfigField name="community" label={t('snmp.community')} hint={t('snmp.communityHint')} errors={errors} value={value.community} secret onChange={(community) => onChange({ community })} />
        </div>
        <TextConfigField name="oid" label={t('snmp.oid')} hint={t('snmp.oidHint')} errors={errors} value={value.oid} placeholder="1.3.6.1.2.1.1.3.0" onChange={(oid) => onChange({ oid })} />
      </FormSection>
      <FormSection title={t('snmp.section.condition')}>
        <div className="grid gap-4 sm:grid-cols-[1fr_8rem_1fr]">
          <TextConfigField name="json_path" label={t('mqtt.jsonPath')} hint={t('snmp.jsonPathHint')} errors={errors} value={value.json_path} placeholder="$" onChange={(json_path) => onChange({ json_path })} />
          <SelectConfigField
            name="json_path_operator"
            label={t('http.jsonCondition')}
            errors={errors}
            value={value.json_path_operator}
            options={SNMP_OPERATORS.map((op) => ({ value: op, label: t(`snmp.op.${op}`) }))}
            onChange={(json_path_operator) => onChange({ json_path_operator })}
          />
          <TextConfigField name="expected_value" label={t('http.expectedValue')} hint={t('snmp.expectedHint')} errors={errors} value={value.expected_value} onChange={(expected_value) => onChange({ expected_value })} />
        </div>
      </FormSection>
    </>
  ),
})
