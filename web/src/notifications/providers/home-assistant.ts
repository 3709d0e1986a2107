import { House } from 'lucide-react'
import { defineProvider } from './definition'

export const homeAssistant = defineProvider({
  type: 'home_assistant',
  label: 'provider.home_assistant',
  description: 'provider.home_assistant.description',
  icon: House,
  fields: [
    { key: 'home_assistant_url', kind: 'url', label: 'notify.homeAssistant.url', required: true, placeholder: 'http://homeassistant.local:8123' },
    { key: 'long_lived_access_token', kind: 'secret', label: 'notify.homeAssistant.token', hint: 'notify.homeAssistant.tokenHint', required: true },
    { key: 'notification_service', kind: 'text', label: 'notify.homeAssistant.service', hint: 'notify.homeAssistant.serviceHint', required: true, placeholder: 'mobile_app_pixel_8' },
  ],
})
