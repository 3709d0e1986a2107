import { t } from '@/i18n'
import { Rocket } from 'lucide-react'
import { defineProvider } from './definition'
import { templateFields } from './fields'

export const rocketChat = defineProvider({
  type: 'rocket_chat',
  label: 'provider.rocket_chat',
  description: 'provider.rocket_chat.description',
  icon: Rocket,
  fields: [
    { key: 'webhook_url', kind: 'secret-url', label: 'notify.field.webhook_url', required: true, placeholder: 'https://chat.example.com/hooks/…' },
    { key: 'channel', kind: 'text', label: 'notify.field.channel', placeholder: '#alerts' },
    { key: 'username', kind: 'text', label: 'notify.field.username' },
    { key: 'icon_emoji', kind: 'text', label: 'notify.field.icon_emoji', placeholder: ':rotating_light:' },
    ...templateFields(),
  ],
  check: (c) => {
    const channel = ((v: unknown) => (typeof v === 'string' ? v.trim() : ''))(c.channel)
    return { channel: channel && !/^[#@]/.test(channel) ? t('validation.rocketChannel') : undefined }
  },
})
