import { t } from '@/i18n'
import { LinesConfigField, TextConfigField } from '@/monitors/ConfigFields'
import { FormSection } from '@/monitors/FormSection'
import { lines } from '@/monitors/textLines'
import { compact, isHttpUrl } from '@/monitors/validation'
import { defineMonitorType, str } from './definition'

/** The server's limit on nodes per monitor. */
export const MAX_RABBITMQ_NODES = 16

export interface RabbitMqConfig {
  /** One management URL per line. */
  nodes: string
  username: string
  password: string
}

export const rabbitmq = defineMonitorType<RabbitMqConfig>({
  type: 'rabbitmq',
  label: 'type.rabbitmq',
  description: 'type.rabbitmq.description',
  fromConfig: (raw) => ({
    nodes: Array.isArray(raw.nodes) ? raw.nodes.filter((n): n is string => typeof n === 'string').join('\n') : '',
    username: str(raw, 'username'),
    password: str(raw, 'password'),
  }),
  toConfig: (c) => ({ nodes: lines(c.nodes), username: c.username, password: c.password }),
  validate: (c) => {
    const nodes = lines(c.nodes)
    const bad = nodes.find((node) => !isHttpUrl(node))
    return compact({
      nodes: !nodes.length
        ? t('validation.required')
        : nodes.length > MAX_RABBITMQ_NODES
          ? t('validation.max', { max: MAX_RABBITMQ_NODES })
          : bad
            ? t('validation.nodeUrl', { node: bad })
            : undefined,
      username: c.username ? undefined : t('validation.required'),
      password: c.password ? undefined : t('validation.required'),
    })
  },
  Form: ({ value, onChange, errors }) => (
    <FormSection title={t('form.section.config')}>
      <LinesConfigField name="nodes" label={t('rabbitmq.nodes')} hint={t('rabbitmq.nodesHint')} errors={errors} value={value.nodes} placeholder="http://rabbit-1:15672" onChange={(nodes) => onChange({ nodes })} />
      <div className="grid gap-4 sm:grid-cols-2">
        <TextConfigField name="username" label={t('mqtt.username')} hint={t('rabbitmq.usernameHint')} errors={errors} value={value.username} onChange={(username) => onChange({ username })} />
        <TextConfigField name="password" label={t('mqtt.password')} errors={errors} value={value.password} secret onChange={(password) => onChange({ password })} />
      </div>
    </FormSection>
  ),
})
