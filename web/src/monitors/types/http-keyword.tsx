import { Checkbox } from '@/components/ui/checkbox'
import { t } from '@/i18n'
import { HttpFields, TextField } from '@/monitors/http/HttpFields'
import { httpFromConfig, httpMonitorFields, httpToConfig, validateHttp, type HttpConfig } from '@/monitors/http/config'
import { compact } from '@/monitors/validation'
import { bool, defineMonitorType, str } from './definition'

export interface HttpKeywordConfig extends HttpConfig {
  keyword: string
  invert_keyword: boolean
}

export const httpKeyword = defineMonitorType<HttpKeywordConfig>({
  type: 'http-keyword',
  label: 'type.http-keyword',
  description: 'type.http-keyword.description',
  fromConfig: (raw, monitor) => ({ ...httpFromConfig(raw, monitor), keyword: str(raw, 'keyword'), invert_keyword: bool(raw, 'invert_keyword') }),
  toConfig: (c) => ({ ...httpToConfig(c), keyword: c.keyword, invert_keyword: c.invert_keyword }),
  monitorFields: httpMonitorFields,
  validate: (c) => compact({ ...validateHttp(c), keyword: c.keyword ? undefined : t('validation.required') }),
  Form: (props) => (
    <HttpFields {...props}>
      <TextField<HttpKeywordConfig> name="keyword" label="http.keyword" hint={t('http.keywordHint')} props={props} />
      <Checkbox
        label={t('http.invertKeyword')}
        checked={props.value.invert_keyword}
        onChange={(event) => props.onChange({ invert_keyword: event.target.checked })}
      />
    </HttpFields>
  ),
})
