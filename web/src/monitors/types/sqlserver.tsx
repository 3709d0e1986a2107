import { t } from '@/i18n'
import { TextAreaConfigField, TextConfigField } from '@/monitors/ConfigFields'
import { FormSection } from '@/monitors/FormSection'
import { compact } from '@/monitors/validation'
import { defineMonitorType, str } from './definition'

export interface SqlServerConfig {
  database_connection_string: string
  database_query: string
}

const SERVER_KEYS = ['server=', 'data source=', 'address=', 'addr=', 'network address=']

/** The server's rule: an ADO.NET string naming the server, without Encrypt=true (no TLS in this build). */
export function sqlServerConnectionError(value: string): string | undefined {
  const s = value.trim()
  if (!s) return t('validation.required')
  const lower = s.toLowerCase()
  if (s.includes('://') || !s.includes('=') || !SERVER_KEYS.some((key) => lower.includes(key))) return t('validation.sqlServerConnection')
  if (/(^|;)\s*encrypt\s*=\s*(true|yes|strict|mandatory)\s*(;|$)/i.test(s)) return t('validation.sqlServerEncrypt')
  return undefined
}

export const sqlserver = defineMonitorType<SqlServerConfig>({
  type: 'sqlserver',
  label: 'type.sqlserver',
  description: 'type.sqlserver.description',
  fromConfig: (raw) => ({
    database_connection_string: str(raw, 'database_connection_string'),
    database_query: str(raw, 'database_query'),
  }),
  toConfig: (c) => ({
    database_connection_string: c.database_connection_string.trim(),
    database_query: c.database_query.trim(),
  }),
  validate: (c) => compact({ database_connection_string: sqlServerConnectionError(c.database_connection_string) }),
  Form: ({ value, onChange, errors }) => (
    <FormSection title={t('form.section.config')}>
      <TextConfigField
        name="database_connection_string"
        label={t('db.connectionString')}
        hint={t('sqlserver.connectionStringHint')}
        errors={errors}
        value={value.database_connection_string}
        secret
        placeholder="Server=db.example.com,1433;Database=app;User Id=monitor;Password=…;Encrypt=false"
        onChange={(database_connection_string) => onChange({ database_connection_string })}
      />
      <TextAreaConfigField name="database_query" label={t('db.query')} hint={t('db.queryHint')} errors={errors} value={value.database_query} rows={2} placeholder="SELECT 1" onChange={(database_query) => onChange({ database_query })} />
    </FormSection>
  ),
})
