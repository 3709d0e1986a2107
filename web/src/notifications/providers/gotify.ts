import { Radio } from 'lucide-react'
import { defineProvider } from './definition'

export const gotify = defineProvider({
  type: 'gotify',
  label: 'provider.gotify',
  description: 'provider.gotify.description',
  icon: Radio,
  fields: [
    { key: 'server_url', kind: 'url', label: 'notify.field.server_url', required: true, placeholder: 'https://gotify.example.com' },
    { key: 'application_token', kind: 'secret', label: 'notify.gotify.token', required: true },
    { key: 'priority', kind: 'number', label: 'notify.field.priority', hint: 'notify.gotify.priorityHint', min: 0, max: 10, initial: '8' },
    { key: 'title', kind: 'text', label: 'notify.field.title' },
    { key: 'custom_message', kind: 'template', label: 'notify.field.custom_message' },
  ],
})
