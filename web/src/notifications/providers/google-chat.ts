import { MessagesSquare } from 'lucide-react'
import { defineProvider } from './definition'

export const googleChat = defineProvider({
  type: 'google_chat',
  label: 'provider.google_chat',
  description: 'provider.google_chat.description',
  icon: MessagesSquare,
  fields: [
    { key: 'webhook_url', kind: 'secret-url', label: 'notify.field.webhook_url', hint: 'notify.googleChat.webhookHint', required: true, placeholder: 'https://chat.googleapis.com/v1/spaces/…' },
  ],
})
