import { AtSign } from 'lucide-react'
import { defineProvider } from './definition'
import { apiUrlField } from './fields'

export const sendgrid = defineProvider({
  type: 'sendgrid',
  label: 'provider.sendgrid',
  description: 'provider.sendgrid.description',
  icon: AtSign,
  fields: [
    { key: 'api_key', kind: 'secret', label: 'notify.field.api_key', required: true, placeholder: 'SG.…' },
    { key: 'from_email', kind: 'email', label: 'notify.smtp.from', required: true, placeholder: 'alerts@example.com' },
    { key: 'to_email', kind: 'emails', label: 'notify.smtp.to', hint: 'notify.smtp.listHint', required: true },
    { key: 'cc_email', kind: 'emails', label: 'notify.smtp.cc' },
    { key: 'bcc_email', kind: 'emails', label: 'notify.smtp.bcc' },
    { key: 'subject', kind: 'text', label: 'notify.smtp.subject' },
    apiUrlField('api_url', 'https://api.sendgrid.com'),
  ],
})
