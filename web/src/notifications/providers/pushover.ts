import { Smartphone } from 'lucide-react'
import { defineProvider } from './definition'
import { apiUrlField } from './fields'

export const pushover = defineProvider({
  type: 'pushover',
  label: 'provider.pushover',
  description: 'provider.pushover.description',
  icon: Smartphone,
  fields: [
    { key: 'pushover_user_key', kind: 'secret', label: 'notify.pushover.userKey', required: true },
    { key: 'pushover_app_token', kind: 'secret', label: 'notify.pushover.appToken', required: true },
    { key: 'pushover_device', kind: 'text', label: 'notify.pushover.device', hint: 'notify.pushover.deviceHint' },
    { key: 'pushover_title', kind: 'text', label: 'notify.field.title' },
    { key: 'pushover_priority', kind: 'number', label: 'notify.field.priority', hint: 'notify.pushover.priorityHint', min: -2, max: 2, initial: '0' },
    { key: 'pushover_sounds', kind: 'text', label: 'notify.pushover.sound', placeholder: 'siren' },
    { key: 'pushover_sounds_up', kind: 'text', label: 'notify.pushover.soundUp', placeholder: 'magic' },
    { key: 'pushover_ttl', kind: 'number', label: 'notify.pushover.ttl', hint: 'notify.pushover.ttlHint', min: 0 },
    apiUrlField('api_url', 'https://api.pushover.net'),
  ],
})
