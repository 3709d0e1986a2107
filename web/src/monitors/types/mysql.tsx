import { t } from '@/i18n'
import { TextAreaConfigField, TextConfigField } from '@/monitors/ConfigFields'
import { FormSection } from '@/monitors/FormSection'
import { compact } from '@/monitors/validation'
import { defineMonitorType, str } from './definition'

export interface MysqlConfig {
  connection_string: string
  query: string
}

/** The server's rule: a mysql:// URL with a host. */
export function mysqlConnectionError(value: string): string | undefined {
  const s = value.trim()
  if (!s) return t('validation.required')
  if (!/^mysql:\/\/[^/?#]+/.test(s)) return t('validation.mysqlConnection')
  return undefined
}

export const mysql = defineMonitorType<MysqlConfig>({
  type: 'mysql',
  label: 'type.mysql',
  description: 'type.mysql.description',
  fromConfig: (raw) => ({ connection_string: str(raw, 'connection_string'), query: str(raw, 'query') }),
  toConfig: (c) => ({ connection_string: c.connection_string.trim(), query: c.query.trim() }),
  validate: (c) => compact({ connection_string: mysqlConnectionError(c.connection_string) }),
  Form: ({ value, onChange, errors }) => (
    <FormSection title={t('form.section.config')}>
      <TextConfigField
        name="connection_string"
        label={t('db.connectionString')}
        hint={t('mysql.connectionStringHint')}
        errors={errors}
        value={value.connection_string}
        secret
        placeholder="mysql://monitor:password@db.example.com:3306/app"
        onChange={(connection_string) => onChange({ connection_string })}
      />
      <TextAreaConfigField name="query" label={t('db.query')} hint={t('db.queryHint')} errors={errors} value={value.query} rows={2} placeholder="SELECT 1" onChange={(query) => onChange({ query })} />
    </FormSection>
  ),
})
