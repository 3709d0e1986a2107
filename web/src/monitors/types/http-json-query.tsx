import { Field } from '@/components/ui/field'
import { Select } from '@/components/ui/input'
import { t } from '@/i18n'
import { HttpFields, TextField } from '@/monitors/http/HttpFields'
import { httpFromConfig, httpMonitorFields, httpToConfig, validateHttp, type HttpConfig } from '@/monitors/http/config'
import { compact } from '@/monitors/validation'
import { defineMonitorType, oneOf, str } from './definition'

export const JSON_CONDITIONS = ['==', '!=', '>', '<', '>=', '<='] as const
export type JsonCondition = (typeof JSON_CONDITIONS)[number]

export interface HttpJsonQueryConfig extends HttpConfig {
  json_query: string
  json_condition: JsonCondition
  expected_value: string
}

export const httpJsonQuery = defineMonitorType<HttpJsonQueryConfig>({
  type: 'http-json-query',
  label: 'type.http-json-query',
  description: 'type.http-json-query.description',
  fromConfig: (raw, monitor) => ({
    ...httpFromConfig(raw, monitor),
    json_query: str(raw, 'json_query'),
    json_condition: oneOf(raw, 'json_condition', JSON_CONDITIONS, '=='),
    expected_value: str(raw, 'expected_value'),
  }),
  monitorFields: httpMonitorFields,
  toConfig: (c) => ({
    ...httpToConfig(c),
    json_query: c.json_query.trim(),
    json_condition: c.json_condition,
    expected_value: c.expected_value,
  }),
  validate: (c) =>
    compact({
      ...validateHttp(c),
      json_condition: JSON_CONDITIONS.includes(c.json_condition) ? undefined : t('validation.oneOf'),
      expected_value: c.expected_value ? undefined : t('validation.required'),
    }),
  Form: (props) => (
    <HttpFields {...props}>
      <TextField<HttpJsonQueryConfig> name="json_query" label="http.jsonQuery" hint={t('http.jsonQueryHint')} props={props} />
      <div className="grid gap-4 sm:grid-cols-[10rem_1fr]">
        <Field name="json_condition" label={t('http.jsonCondition')} error={props.errors.json_condition}>
          {(control) => (
            <Select
              {...control}
              value={props.value.json_condition}
              onChange={(event) => props.onChange({ json_condition: event.target.value as JsonCondition })}
            >
              {JSON_CONDITIONS.map((condition) => (
                <option key={condition} value={condition}>
                  {condition}
                </option>
              ))}
            </Select>
          )}
        </Field>
        <TextField<HttpJsonQueryConfig> name="expected_value" label="http.expectedValue" props={props} />
      </div>
    </HttpFields>
  ),
})
