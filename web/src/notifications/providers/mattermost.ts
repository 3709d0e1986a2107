import { MessageSquare } from 'lucide-react'
import { defineProvider } from './definition'
import { templateFields } from './fields'

export const mattermost = defineProvider({
  type: 'mattermost',
  label: 'provider.mattermost',
  description: 'provider.mattermost.description',
  icon: MessageSquare,
  fields: [
    { key: 'webhook_url', kind: 'secret-url', label: 'notify.field.webhook_url', required: true, placeholder: 'https://mattermost.example.com/hooks/…' },
    { key: 'username', kind: 'text', label: 'notify.field.username' },
    { key: 'channel', kind: 'text', label: 'notify.field.channel', placeholder: 'town-square' },
    { key: 'icon_url', kind: 'url', label: 'notify.field.icon_url' },
    { key: 'icon_emoji', kind: 'text', label: 'notify.field.icon_emoji', placeholder: ':rotating_light:' },
    ...templateFields(),
  ],
})
