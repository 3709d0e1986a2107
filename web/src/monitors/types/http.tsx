import { HttpFields } from '@/monitors/http/HttpFields'
import { httpFromConfig, httpMonitorFields, httpToConfig, validateHttp, type HttpConfig } from '@/monitors/http/config'
import { defineMonitorType } from './definition'

export const http = defineMonitorType<HttpConfig>({
  type: 'http',
  label: 'type.http',
  description: 'type.http.description',
  fromConfig: httpFromConfig,
  toConfig: httpToConfig,
  monitorFields: httpMonitorFields,
  validate: validateHttp,
  Form: (props) => <HttpFields {...props} />,
})
