import { Bell } from 'lucide-react'
import { defineProvider } from './definition'
import { when } from './fields'

const AUTH_TYPES = ['none', 'basic', 'token'] as const

export const ntfy = defineProvider({
  type: 'ntfy',
  label: 'provider.ntfy',
  description: 'provider.ntfy.description',
  icon: Bell,
  fields: [
    { key: 'server_url', kind: 'url', label: 'notify.field.server_url', required: true, initial: 'https://ntfy.sh' },
    { key: 'topic', kind: 'text', label: 'notify.ntfy.topic', required: true, placeholder: 'peekaping-alerts' },
    {
      key: 'authentication_type',
      kind: 'select',
      label: 'notify.ntfy.auth',
      required: true,
      options: AUTH_TYPES.map((value) => ({ value, label: `notify.ntfy.auth.${value}` as const })),
    },
    { key: 'username', kind: 'text', label: 'notify.field.username', visible: when('authentication_type', 'basic'), required: true },
    { key: 'password', kind: 'secret', label: 'notify.field.password', visible: when('authentication_type', 'basic'), required: true },
    { key: 'token', kind: 'secret', label: 'notify.field.access_token', visible: when('authentication_type', 'token'), required: true },
    { key: 'priority', kind: 'number', label: 'notify.field.priority', hint: 'notify.ntfy.priorityHint', min: 1, max: 5, initial: '3' },
    { key: 'tags', kind: 'text', label: 'notify.ntfy.tags', hint: 'notify.ntfy.tagsHint', placeholder: 'warning,skull' },
    { key: 'title', kind: 'text', label: 'notify.field.title' },
    { key: 'custom_message', kind: 'template', label: 'notify.field.custom_message' },
  ],
})
