import { t } from '@/i18n'
import { MessageSquareText } from 'lucide-react'
import { defineProvider } from './definition'
import { apiUrlField } from './fields'

export const twilio = defineProvider({
  type: 'twilio',
  label: 'provider.twilio',
  description: 'provider.twilio.description',
  icon: MessageSquareText,
  fields: [
    { key: 'twilio_account_sid', kind: 'text', label: 'notify.twilio.sid', required: true, placeholder: 'AC…' },
    { key: 'twilio_api_key', kind: 'text', label: 'notify.twilio.apiKey', hint: 'notify.twilio.apiKeyHint', placeholder: 'SK…' },
    { key: 'twilio_auth_token', kind: 'secret', label: 'notify.twilio.token', hint: 'notify.twilio.tokenHint', required: true },
    { key: 'twilio_from_number', kind: 'e164', label: 'notify.twilio.from', required: true, placeholder: '+15005550006' },
    { key: 'twilio_to_number', kind: 'e164', label: 'notify.twilio.to', required: true, placeholder: '+4915112345678' },
    apiUrlField('api_url', 'https://api.twilio.com'),
  ],
  check: (c) => {
    const text = (v: unknown) => (typeof v === 'string' ? v.trim() : '')
    const sid = text(c.twilio_account_sid)
    const key = text(c.twilio_api_key)
    return {
      twilio_account_sid: sid && !sid.startsWith('AC') ? t('validation.twilioSid') : undefined,
      twilio_api_key: key && !key.startsWith('SK') ? t('validation.twilioKey') : undefined,
    }
  },
})
