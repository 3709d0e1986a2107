import { Phone } from 'lucide-react'
import { defineProvider } from './definition'
import { templateFields } from './fields'

export const whatsapp = defineProvider({
  type: 'whatsapp',
  label: 'provider.whatsapp',
  description: 'provider.whatsapp.description',
  icon: Phone,
  fields: [
    { key: 'server_url', kind: 'url', label: 'notify.whatsapp.server', hint: 'notify.whatsapp.serverHint', required: true, placeholder: 'http://waha:3000' },
    { key: 'api_key', kind: 'secret', label: 'notify.field.api_key' },
    { key: 'phone_number', kind: 'text', label: 'notify.whatsapp.phone', hint: 'notify.whatsapp.phoneHint', required: true, placeholder: '4915112345678' },
    { key: 'session', kind: 'text', label: 'notify.whatsapp.session', required: true, initial: 'default' },
    ...templateFields(),
    { key: 'custom_message', kind: 'template', label: 'notify.field.custom_message' },
  ],
})
