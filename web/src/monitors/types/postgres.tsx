import { t } from '@/i18n'
import { TextAreaConfigField, TextConfigField } from '@/monitors/ConfigFields'
import { FormSection } from '@/monitors/FormSection'
import { compact } from '@/monitors/validation'
import { defineMonitorType, str } from './definition'

export interface PostgresConfig {
  database_connection_string: string
  database_query: string
}

const SSL_MODES = ['disable', 'allow', 'prefer', 'require', 'verify-ca', 'verify-full']

/** The server's rule: a postgres:// URL or a libpq key=value string, with a known sslmode. */
export function postgresConnectionError(value: string): string | undefined {
  const s = value.trim()
  if (!s) return t('validation.required')
  const isUrl = s.startsWith('postgres://') || s.startsWith('postgresql://')
  if ((s.includes('://') && !isUrl) || (!isUrl && !s.includes('='))) return t('validation.postgresConnection')
  const mode = /sslmode=([A-Za-z-]*)/i.exec(s)?.[1]?.toLowerCase()
  if (mode !== undefined && !SSL_MODES.includes(mode)) return t('validation.sslmode')
  return undefined
}

export const postgres = defineMonitorType<PostgresConfig>({
  type: 'postgres',
  label: 'type.postgres',
  description: 'type.postgres.description',
  fromConfig: (raw) => ({
    database_connection_string: str(raw, 'database_connection_string'),
    database_query: str(raw, 'database_query'),
  }),
  toConfig: (c) => ({
    database_connection_string: c.database_connection_string.trim(),
    database_query: c.database_query.trim(),
  }),
  validate: (c) => compact({ database_connection_string: postgresConnectionError(c.database_connection_string) }),
  Form: ({ value, onChange, errors }) => (
    <FormSection title={t('form.section.config')}>
      <TextConfigField
        name="database_connection_string"
        label={t('db.connectionString')}
        hint={t('postgres.connectionStringHint')}
        errors={errors}
        value={value.database_connection_string}
        secret
        placeholder="postgres://monitor:password@db.example.com:5432/app?sslmode=require"
        onChange={(database_connection_string) => onChange({ database_connection_string })}
      />
      <TextAreaConfigField name="database_query" label={t('db.query')} hint={t('db.queryHint')} errors={errors} value={value.database_query} rows={2} placeholder="SELECT 1" onChange={(database_query) => onChange({ database_query })} />
    </FormSection>
  ),
})
