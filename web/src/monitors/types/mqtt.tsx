import { t } from '@/i18n'
import { PortConfigField, SelectConfigField, TextConfigField } from '@/monitors/ConfigFields'
import { FormSection } from '@/monitors/FormSection'
import { compact, isPort } from '@/monitors/validation'
import { defineMonitorType, num, oneOf, str } from './definition'

export const MQTT_CHECK_TYPES = ['none', 'keyword', 'json-query'] as const
export type MqttCheckType = (typeof MQTT_CHECK_TYPES)[number]

export interface MqttConfig {
  hostname: string
  port: number
  topic: string
  username: string
  password: string
  check_type: MqttCheckType
  success_keyword: string
  json_path: string
  expected_value: string
}

/** The server's host rule: an optional mqtt:// or mqtts:// prefix, then a host without port or path. */
export function isMqttHost(value: string): boolean {
  const host = value.trim().replace(/^mqtts?:\/\//, '').replace(/\/+$/, '')
  if (!host || /[\s/]/.test(host)) return false
  return !host.includes(':') || /^\[?[0-9a-fA-F:.]+\]?$/.test(host)
}

export const mqtt = defineMonitorType<MqttConfig>({
  type: 'mqtt',
  label: 'type.mqtt',
  description: 'type.mqtt.description',
  fromConfig: (raw) => ({
    hostname: str(raw, 'hostname') || str(raw, 'host'),
    port: num(raw, 'port', 1883),
    topic: str(raw, 'topic'),
    username: str(raw, 'username'),
    password: str(raw, 'password'),
    check_type: oneOf(raw, 'check_type', MQTT_CHECK_TYPES, 'none'),
    success_keyword: str(raw, 'success_keyword'),
    json_path: str(raw, 'json_path'),
    expected_value: str(raw, 'expected_value'),
  }),
  toConfig: (c) => ({
    hostname: c.hostname.trim(),
    port: c.port,
    topic: c.topic.trim(),
    username: c.username,
    password: c.password,
    check_type: c.check_type,
    success_keyword: c.success_keyword,
    json_path: c.json_path.trim(),
    expected_value: c.expected_value,
  }),
  validate: (c) => {
    const topic = c.topic.trim()
    return compact({
      hostname: isMqttHost(c.hostname) ? undefined : t('validation.mqttHost'),
      port: isPort(c.port) ? undefined : t('validation.port'),
      topic: !topic ? t('validation.required') : /#./.test(topic) ? t('validation.mqttTopic') : undefined,
      success_keyword: c.check_type === 'keyword' && !c.success_keyword.trim() ? t('validation.required') : undefined,
      json_path: c.check_type === 'json-query' && !c.json_path.trim() ? t('validation.required') : undefined,
      expected_value: c.check_type === 'json-query' && !c.expected_value.trim() ? t('validation.required') : undefined,
      username: c.password && !c.username ? t('validation.usernameForPassword') : undefined,
    })
  },
  Form: ({ value, onChange, errors }) => (
    <>
      <FormSection title={t('form.section.config')}>
        <div className="grid gap-4 sm:grid-cols-[1fr_9rem]">
          <TextConfigField name="hostname" label={t('mqtt.hostname')} hint={t('mqtt.hostnameHint')} errors={errors} value={value.hostname} placeholder="broker.example.com" onChange={(hostname) => onChange({ hostname })} />
          <PortConfigField name="port" label={t('tcp.port')} errors={errors} value={value.port} onChange={(port) => onChange({ port })} />
        </div>
        <TextConfigField name="topic" label={t('mqtt.topic')} hint={t('mqtt.topicHint')} errors={errors} value={value.topic} placeholder="sensors/boiler/status" onChange={(topic) => onChange({ topic })} />
        <div className="grid gap-4 sm:grid-cols-2">
          <TextConfigField name="username" label={t('mqtt.username')} errors={errors} value={value.username} onChange={(username) => onChange({ username })} />
          <TextConfigField name="password" label={t('mqtt.password')} errors={errors} value={value.password} secret onChange={(password) => onChange({ password })} />
        </div>
      </FormSection>
      <FormSection title={t('mqtt.section.check')}>
        <SelectConfigField
          name="check_type"
          label={t('mqtt.checkType')}
          hint={t(`mqtt.checkType.${value.check_type}.hint`)}
          errors={errors}
          value={value.check_type}
          options={MQTT_CHECK_TYPES.map((type) => ({ value: type, label: t(`mqtt.checkType.${type}`) }))}
          onChange={(check_type) => onChange({ check_type })}
        />
        {value.check_type === 'keyword' ? (
          <TextConfigField name="success_keyword" label={t('mqtt.successKeyword')} hint={t('mqtt.successKeywordHint')} errors={errors} value={value.success_keyword} onChange={(success_keyword) => onChange({ success_keyword })} />
        ) : null}
        {value.check_type === 'json-query' ? (
          <div className="grid gap-4 sm:grid-cols-2">
            <TextConfigField name="json_path" label={t('mqtt.jsonPath')} hint={t('mqtt.jsonPathHint')} errors={errors} value={value.json_path} placeholder="status" onChange={(json_path) => onChange({ json_path })} />
            <TextConfigField name="expected_value" label={t('http.expectedValue')} errors={errors} value={value.expected_value} placeholder="ok" onChange={(expected_value) => onChange({ expected_value })} />
          </div>
        ) : null}
      </FormSection>
    </>
  ),
})
