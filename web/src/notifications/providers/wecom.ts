import { Building } from 'lucide-react'
import { defineProvider } from './definition'

export const wecom = defineProvider({
  type: 'wecom',
  label: 'provider.wecom',
  description: 'provider.wecom.description',
  icon: Building,
  fields: [
    { key: 'webhook_url', kind: 'secret-url', label: 'notify.field.webhook_url', required: true, placeholder: 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=…' },
  ],
})
