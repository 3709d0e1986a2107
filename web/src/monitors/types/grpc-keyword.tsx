import { Checkbox } from '@/components/ui/checkbox'
import { t } from '@/i18n'
import { TextAreaConfigField, TextConfigField } from '@/monitors/ConfigFields'
import { FormSection } from '@/monitors/FormSection'
import { compact, jsonError } from '@/monitors/validation'
import { bool, defineMonitorType, str } from './definition'

/** The server's limit on the .proto text. */
export const MAX_PROTO_BYTES = 256 * 1024

export interface GrpcKeywordConfig {
  grpcUrl: string
  grpcProtobuf: string
  grpcServiceName: string
  grpcMethod: string
  grpcEnableTls: boolean
  grpcBody: string
  keyword: string
  invertKeyword: boolean
}

const IDENT = /^[A-Za-z_][A-Za-z0-9_]*$/

/** host:port, optionally with an http, https, grpc or grpcs scheme. */
export function isGrpcTarget(value: string): boolean {
  const raw = value.trim()
  const match = /^(?:(http|https|grpc|grpcs):\/\/)?([^/\s]+?)\/?$/.exec(raw)
  if (!match || (raw.includes('://') && !match[1])) return false
  try {
    const url = new URL(`http://${match[2]}`)
    return Boolean(url.hostname) && Boolean(url.port) && url.pathname === '/'
  } catch {
    return false
  }
}

export const grpcKeyword = defineMonitorType<GrpcKeywordConfig>({
  type: 'grpc-keyword',
  label: 'type.grpc-keyword',
  description: 'type.grpc-keyword.description',
  fromConfig: (raw) => ({
    grpcUrl: str(raw, 'grpcUrl'),
    grpcProtobuf: str(raw, 'grpcProtobuf'),
    grpcServiceName: str(raw, 'grpcServiceName'),
    grpcMethod: str(raw, 'grpcMethod'),
    grpcEnableTls: bool(raw, 'grpcEnableTls'),
    grpcBody: str(raw, 'grpcBody'),
    keyword: str(raw, 'keyword'),
    invertKeyword: bool(raw, 'invertKeyword'),
  }),
  toConfig: (c) => ({
    grpcUrl: c.grpcUrl.trim(),
    grpcProtobuf: c.grpcProtobuf,
    grpcServiceName: c.grpcServiceName.trim(),
    grpcMethod: c.grpcMethod.trim(),
    grpcEnableTls: c.grpcEnableTls,
    grpcBody: c.grpcBody,
    keyword: c.keyword,
    invertKeyword: c.invertKeyword,
  }),
  validate: (c) => {
    const service = c.grpcServiceName.trim()
    return compact({
      grpcUrl: isGrpcTarget(c.grpcUrl) ? undefined : t('validation.grpcUrl'),
      grpcServiceName: service && service.split('.').every((part) => IDENT.test(part)) ? undefined : t('validation.grpcService'),
      grpcMethod: IDENT.test(c.grpcMethod.trim()) ? undefined : t('validation.grpcMethod'),
      grpcBody: jsonError(c.grpcBody, true),
      grpcProtobuf: new TextEncoder().encode(c.grpcProtobuf).length > MAX_PROTO_BYTES ? t('validation.protoSize') : undefined,
    })
  },
  Form: ({ value, onChange, errors }) => (
    <>
      <FormSection title={t('form.section.config')}>
        <TextConfigField name="grpcUrl" label={t('grpc.url')} hint={t('grpc.urlHint')} errors={errors} value={value.grpcUrl} placeholder="grpc.example.com:443" onChange={(grpcUrl) => onChange({ grpcUrl })} />
        <Checkbox label={t('grpc.enableTls')} checked={value.grpcEnableTls} onChange={(event) => onChange({ grpcEnableTls: event.target.checked })} />
        <div className="grid gap-4 sm:grid-cols-2">
          <TextConfigField name="grpcServiceName" label={t('grpc.service')} hint={t('grpc.serviceHint')} errors={errors} value={value.grpcServiceName} placeholder="grpc.health.v1.Health" onChange={(grpcServiceName) => onChange({ grpcServiceName })} />
          <TextConfigField name="grpcMethod" label={t('grpc.method')} errors={errors} value={value.grpcMethod} placeholder="Check" onChange={(grpcMethod) => onChange({ grpcMethod })} />
        </div>
        <TextAreaConfigField name="grpcBody" label={t('grpc.body')} hint={t('grpc.bodyHint')} errors={errors} value={value.grpcBody} rows={3} placeholder='{"service": ""}' onChange={(grpcBody) => onChange({ grpcBody })} />
        <TextAreaConfigField name="grpcProtobuf" label={t('grpc.proto')} hint={t('grpc.protoHint')} errors={errors} value={value.grpcProtobuf} rows={6} placeholder={'syntax = "proto3";\npackage grpc.health.v1;\n…'} onChange={(grpcProtobuf) => onChange({ grpcProtobuf })} />
      </FormSection>
      <FormSection title={t('grpc.section.keyword')}>
        <TextConfigField name="keyword" label={t('http.keyword')} hint={t('grpc.keywordHint')} errors={errors} value={value.keyword} placeholder="SERVING" onChange={(keyword) => onChange({ keyword })} />
        <Checkbox label={t('http.invertKeyword')} checked={value.invertKeyword} onChange={(event) => onChange({ invertKeyword: event.target.checked })} />
      </FormSection>
    </>
  ),
})
