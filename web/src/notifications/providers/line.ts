import { t } from '@/i18n'
import { SendHorizontal } from 'lucide-react'
import { defineProvider } from './definition'
import { apiUrlField } from './fields'

export const line = defineProvider({
  type: 'line',
  label: 'provider.line',
  description: 'provider.line.description',
  icon: SendHorizontal,
  fields: [
    { key: 'channel_access_token', kind: 'secret', label: 'notify.line.token', required: true },
    { key: 'user_id', kind: 'text', label: 'notify.line.userId', hint: 'notify.line.userIdHint', required: true, placeholder: 'U4af4980629…' },
    { key: 'template', kind: 'template', label: 'notify.field.template' },
    apiUrlField('api_url', 'https://api.line.me'),
  ],
  check: (c) => {
    const id = ((v: unknown) => (typeof v === 'string' ? v.trim() : ''))(c.user_id)
    return { user_id: id && !/^[UCR]/.test(id) ? t('validation.lineTarget') : undefined }
  },
})
