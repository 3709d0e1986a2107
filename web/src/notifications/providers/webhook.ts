import { Webhook } from 'lucide-react'
import { defineProvider } from './definition'
import { when } from './fields'

const CONTENT_TYPES = ['json', 'form-data', 'custom'] as const

export const webhook = defineProvider({
  type: 'webhook',
  label: 'provider.webhook',
  description: 'provider.webhook.description',
  icon: Webhook,
  fields: [
    { key: 'webhook_url', kind: 'url', label: 'notify.field.webhook_url', required: true, placeholder: 'https://example.com/hooks/peekaping' },
    {
      key: 'webhook_content_type',
      kind: 'select',
      label: 'notify.webhook.contentType',
      hint: 'notify.webhook.contentTypeHint',
      options: CONTENT_TYPES.map((value) => ({ value, label: `notify.webhook.contentType.${value}` as const })),
    },
    {
      key: 'webhook_custom_body',
      kind: 'template',
      label: 'notify.webhook.customBody',
      visible: when('webhook_content_type', 'custom'),
      required: when('webhook_content_type', 'custom'),
      placeholder: '{"text": "{{ name }} is {{ status }}: {{ msg }}"}',
    },
    {
      key: 'webhook_additional_headers',
      kind: 'json-object',
      label: 'notify.webhook.headers',
      hint: 'notify.webhook.headersHint',
      placeholder: '{"Authorization": "Bearer …"}',
    },
  ],
})
