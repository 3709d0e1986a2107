import { Checkbox } from '@/components/ui/checkbox'
import { t } from '@/i18n'
import { TextAreaConfigField, TextConfigField } from '@/monitors/ConfigFields'
import { FormSection } from '@/monitors/FormSection'
import { compact } from '@/monitors/validation'
import { bool, defineMonitorType, str } from './definition'

export interface RedisConfig {
  databaseConnectionString: string
  ignoreTls: boolean
  caCert: string
  clientCert: string
  clientKey: string
}

/** The server's rule: redis:// or rediss:// with a host. */
export function isRedisConnectionString(value: string): boolean {
  return /^rediss?:\/\/\S*[^/\s]/.test(value.trim())
}

function pemError(value: string, kind: string, tls: boolean): string | undefined {
  if (!value.trim()) return undefined
  if (!value.includes('-----BEGIN') || !value.includes(kind)) return t('validation.pem')
  return tls ? undefined : t('validation.redisTlsOnly')
}

export const redis = defineMonitorType<RedisConfig>({
  type: 'redis',
  label: 'type.redis',
  description: 'type.redis.description',
  fromConfig: (raw) => ({
    databaseConnectionString: str(raw, 'databaseConnectionString'),
    ignoreTls: bool(raw, 'ignoreTls'),
    caCert: str(raw, 'caCert'),
    clientCert: str(raw, 'clientCert'),
    clientKey: str(raw, 'clientKey'),
  }),
  toConfig: (c) => ({
    databaseConnectionString: c.databaseConnectionString.trim(),
    ignoreTls: c.ignoreTls,
    caCert: c.caCert.trim(),
    clientCert: c.clientCert.trim(),
    clientKey: c.clientKey.trim(),
  }),
  validate: (c) => {
    const url = c.databaseConnectionString.trim()
    const tls = url.startsWith('rediss://')
    const halfPair = Boolean(c.clientCert.trim()) !== Boolean(c.clientKey.trim())
    return compact({
      databaseConnectionString: !url ? t('validation.required') : isRedisConnectionString(url) ? undefined : t('validation.redisConnection'),
      caCert: pemError(c.caCert, 'CERTIFICATE', tls),
      clientCert: pemError(c.clientCert, 'CERTIFICATE', tls),
      clientKey: pemError(c.clientKey, 'PRIVATE KEY', tls) ?? (halfPair ? t('validation.certAndKey') : undefined),
    })
  },
  Form: ({ value, onChange, errors }) => (
      <>
        <FormSection title={t('form.section.config')}>
          <TextConfigField
            name="databaseConnectionString"
            label={t('db.connectionString')}
            hint={t('redis.connectionStringHint')}
            errors={errors}
            value={value.databaseConnectionString}
            secret
            placeholder="redis://:password@cache.example.com:6379/0"
            onChange={(databaseConnectionString) => onChange({ databaseConnectionString })}
          />
        </FormSection>
          <FormSection title={t('redis.section.tls')}>
            <p className="text-sm text-muted-foreground">{t('redis.tlsHint')}</p>
            <Checkbox label={t('redis.ignoreTls')} hint={t('redis.ignoreTlsHint')} checked={value.ignoreTls} onChange={(event) => onChange({ ignoreTls: event.target.checked })} />
            <TextAreaConfigField name="caCert" label={t('http.tlsCa')} errors={errors} value={value.caCert} placeholder="-----BEGIN CERTIFICATE-----" onChange={(caCert) => onChange({ caCert })} />
            <TextAreaConfigField name="clientCert" label={t('http.tlsCert')} errors={errors} value={value.clientCert} placeholder="-----BEGIN CERTIFICATE-----" onChange={(clientCert) => onChange({ clientCert })} />
            <TextAreaConfigField name="clientKey" label={t('http.tlsKey')} errors={errors} value={value.clientKey} placeholder="-----BEGIN PRIVATE KEY-----" onChange={(clientKey) => onChange({ clientKey })} />
          </FormSection>
      </>
  ),
})
