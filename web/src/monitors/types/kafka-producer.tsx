import { Checkbox } from '@/components/ui/checkbox'
import { t } from '@/i18n'
import { LinesConfigField, SelectConfigField, TextAreaConfigField, TextConfigField } from '@/monitors/ConfigFields'
import { FormSection } from '@/monitors/FormSection'
import { lines } from '@/monitors/textLines'
import { compact } from '@/monitors/validation'
import { bool, defineMonitorType, str } from './definition'
import { isMqttHost } from './mqtt'

export const KAFKA_SASL_MECHANISMS = ['None', 'PLAIN', 'SCRAM-SHA-256', 'SCRAM-SHA-512'] as const
export type KafkaSaslMechanism = (typeof KAFKA_SASL_MECHANISMS)[number]

export interface KafkaProducerConfig {
  /** One host:port per line. */
  brokers: string
  topic: string
  message: string
  allow_auto_topic_creation: boolean
  ssl: boolean
  mechanism: KafkaSaslMechanism
  sasl_username: string
  sasl_password: string
}

/** host:port with a port in 1–65535, as the server checks it. */
export function isBroker(value: string): boolean {
  const at = value.lastIndexOf(':')
  if (at <= 0) return false
  const port = Number(value.slice(at + 1))
  return isMqttHost(value.slice(0, at)) && Number.isInteger(port) && port >= 1 && port <= 65535
}

function sasl(raw: Record<string, unknown>): Record<string, unknown> {
  const value = raw.sasl_options
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {}
}

export const kafkaProducer = defineMonitorType<KafkaProducerConfig>({
  type: 'kafka-producer',
  label: 'type.kafka-producer',
  description: 'type.kafka-producer.description',
  fromConfig: (raw) => {
    const options = sasl(raw)
    const mechanism = str(options, 'mechanism', 'None')
    return {
      brokers: Array.isArray(raw.brokers) ? raw.brokers.filter((b): b is string => typeof b === 'string').join('\n') : '',
      topic: str(raw, 'topic'),
      message: str(raw, 'message'),
      allow_auto_topic_creation: bool(raw, 'allow_auto_topic_creation'),
      ssl: bool(raw, 'ssl'),
      mechanism: (KAFKA_SASL_MECHANISMS as readonly string[]).includes(mechanism) ? (mechanism as KafkaSaslMechanism) : 'None',
      sasl_username: str(options, 'username'),
      sasl_password: str(options, 'password'),
    }
  },
  toConfig: (c) => ({
    brokers: lines(c.brokers),
    topic: c.topic.trim(),
    message: c.message,
    allow_auto_topic_creation: c.allow_auto_topic_creation,
    ssl: c.ssl,
    sasl_options: {
      mechanism: c.mechanism,
      username: c.mechanism === 'None' ? '' : c.sasl_username,
      password: c.mechanism === 'None' ? '' : c.sasl_password,
    },
  }),
  validate: (c) => {
    const brokers = lines(c.brokers)
    const bad = brokers.find((broker) => !isBroker(broker))
    const topic = c.topic.trim()
    const sasl = c.mechanism !== 'None'
    return compact({
      brokers: !brokers.length ? t('validation.required') : bad ? t('validation.broker', { broker: bad }) : undefined,
      topic: !topic
        ? t('validation.required')
        : !/^[A-Za-z0-9._-]{1,249}$/.test(topic) || topic === '.' || topic === '..'
          ? t('validation.kafkaTopic')
          : undefined,
      message: c.message.trim() ? undefined : t('validation.required'),
      'sasl_options.username': sasl && !c.sasl_username ? t('validation.required') : undefined,
      'sasl_options.password': sasl && !c.sasl_password ? t('validation.required') : undefined,
    })
  },
  Form: ({ value, onChange, errors }) => (
    <>
      <FormSection title={t('form.section.config')}>
        <LinesConfigField name="brokers" label={t('kafka.brokers')} hint={t('kafka.brokersHint')} errors={errors} value={value.brokers} placeholder="kafka-1:9092" onChange={(brokers) => onChange({ brokers })} />
        <TextConfigField name="topic" label={t('kafka.topic')} errors={errors} value={value.topic} placeholder="uptime-checks" onChange={(topic) => onChange({ topic })} />
        <TextAreaConfigField name="message" label={t('kafka.message')} hint={t('kafka.messageHint')} errors={errors} value={value.message} rows={3} onChange={(message) => onChange({ message })} />
        <Checkbox
          label={t('kafka.autoCreate')}
          hint={t('kafka.autoCreateHint')}
          checked={value.allow_auto_topic_creation}
          onChange={(event) => onChange({ allow_auto_topic_creation: event.target.checked })}
        />
        <Checkbox label={t('kafka.ssl')} checked={value.ssl} onChange={(event) => onChange({ ssl: event.target.checked })} />
      </FormSection>
      <FormSection title={t('http.section.auth')}>
        <SelectConfigField
          name="sasl_options.mechanism"
          label={t('kafka.saslMechanism')}
          errors={errors}
          value={value.mechanism}
          options={KAFKA_SASL_MECHANISMS.map((m) => ({ value: m, label: m === 'None' ? t('http.auth.none') : m }))}
          onChange={(mechanism) => onChange({ mechanism })}
        />
        {value.mechanism !== 'None' ? (
          <div className="grid gap-4 sm:grid-cols-2">
            <TextConfigField name="sasl_options.username" label={t('mqtt.username')} errors={errors} value={value.sasl_username} onChange={(sasl_username) => onChange({ sasl_username })} />
            <TextConfigField name="sasl_options.password" label={t('mqtt.password')} errors={errors} value={value.sasl_password} secret onChange={(sasl_password) => onChange({ sasl_password })} />
          </div>
        ) : null}
      </FormSection>
    </>
  ),
})
