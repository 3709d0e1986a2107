import { t } from '@/i18n'
import { TextAreaConfigField, TextConfigField } from '@/monitors/ConfigFields'
import { FormSection } from '@/monitors/FormSection'
import { compact, jsonError } from '@/monitors/validation'
import { defineMonitorType, str } from './definition'

export interface MongodbConfig {
  connectionString: string
  command: string
  jsonPath: string
  expectedValue: string
}

export const DEFAULT_MONGODB_COMMAND = '{"ping":1}'

/** The server's rule: mongodb:// or mongodb+srv://. */
export function isMongoConnectionString(value: string): boolean {
  return /^mongodb(\+srv)?:\/\/\S+$/.test(value.trim())
}

/** The server's rule for `command`: a JSON object naming a command (empty means {"ping":1}). */
export function mongoCommandError(text: string): string | undefined {
  if (!text.trim()) return undefined
  const error = jsonError(text, true)
  if (error) return error
  return Object.keys(JSON.parse(text) as object).length === 0 ? t('validation.mongoCommand') : undefined
}

export const mongodb = defineMonitorType<MongodbConfig>({
  type: 'mongodb',
  label: 'type.mongodb',
  description: 'type.mongodb.description',
  fromConfig: (raw) => ({
    connectionString: str(raw, 'connectionString'),
    command: str(raw, 'command', DEFAULT_MONGODB_COMMAND),
    jsonPath: str(raw, 'jsonPath'),
    expectedValue: str(raw, 'expectedValue'),
  }),
  toConfig: (c) => ({
    connectionString: c.connectionString.trim(),
    command: c.command.trim(),
    jsonPath: c.jsonPath.trim(),
    expectedValue: c.expectedValue,
  }),
  validate: (c) =>
    compact({
      connectionString: !c.connectionString.trim()
        ? t('validation.required')
        : isMongoConnectionString(c.connectionString)
          ? undefined
          : t('validation.mongoConnection'),
      command: mongoCommandError(c.command),
      expectedValue: c.jsonPath.trim() && !c.expectedValue.trim() ? t('validation.required') : undefined,
    }),
  Form: ({ value, onChange, errors }) => (
    <>
      <FormSection title={t('form.section.config')}>
        <TextConfigField
          name="connectionString"
          label={t('db.connectionString')}
          hint={t('mongodb.connectionStringHint')}
          errors={errors}
          value={value.connectionString}
          secret
          placeholder="mongodb://monitor:password@db.example.com:27017/admin"
          onChange={(connectionString) => onChange({ connectionString })}
        />
        <TextAreaConfigField name="command" label={t('mongodb.command')} hint={t('mongodb.commandHint')} errors={errors} value={value.command} rows={3} placeholder={DEFAULT_MONGODB_COMMAND} onChange={(command) => onChange({ command })} />
      </FormSection>
      <FormSection title={t('mongodb.section.check')}>
        <div className="grid gap-4 sm:grid-cols-2">
          <TextConfigField name="jsonPath" label={t('mqtt.jsonPath')} hint={t('mongodb.jsonPathHint')} errors={errors} value={value.jsonPath} placeholder="ok" onChange={(jsonPath) => onChange({ jsonPath })} />
          <TextConfigField name="expectedValue" label={t('http.expectedValue')} errors={errors} value={value.expectedValue} placeholder="1" onChange={(expectedValue) => onChange({ expectedValue })} />
        </div>
      </FormSection>
    </>
  ),
})
