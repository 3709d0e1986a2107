import { Shield } from 'lucide-react'
import { defineProvider } from './definition'

export const signal = defineProvider({
  type: 'signal',
  label: 'provider.signal',
  description: 'provider.signal.description',
  icon: Shield,
  fields: [
    { key: 'signal_url', kind: 'url', label: 'notify.signal.url', hint: 'notify.signal.urlHint', required: true, placeholder: 'http://signal-cli:8080/v2/send' },
    { key: 'signal_number', kind: 'text', label: 'notify.signal.number', hint: 'notify.signal.numberHint', required: true, placeholder: '+4915112345678' },
    { key: 'signal_recipients', kind: 'text', label: 'notify.signal.recipients', hint: 'notify.signal.recipientsHint', required: true, placeholder: '+4915112345678, group.abc…' },
    { key: 'custom_message', kind: 'template', label: 'notify.field.custom_message' },
  ],
})
