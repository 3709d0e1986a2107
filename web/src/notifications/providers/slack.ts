import { Hash } from 'lucide-react'
import { defineProvider } from './definition'
import { templateFields } from './fields'

export const slack = defineProvider({
  type: 'slack',
  label: 'provider.slack',
  description: 'provider.slack.description',
  icon: Hash,
  fields: [
    { key: 'slack_webhook_url', kind: 'secret-url', label: 'notify.field.webhook_url', hint: 'notify.slack.webhookHint', required: true, placeholder: 'https://hooks.slack.com/services/…' },
    { key: 'slack_username', kind: 'text', label: 'notify.field.username' },
    { key: 'slack_icon_emoji', kind: 'text', label: 'notify.field.icon_emoji', placeholder: ':rotating_light:' },
    { key: 'slack_channel', kind: 'text', label: 'notify.field.channel', placeholder: '#alerts' },
    { key: 'slack_rich_message', kind: 'boolean', label: 'notify.slack.rich', hint: 'notify.slack.richHint' },
    { key: 'slack_channel_notify', kind: 'boolean', label: 'notify.slack.notifyChannel', hint: 'notify.slack.notifyChannelHint' },
    ...templateFields(),
  ],
})
