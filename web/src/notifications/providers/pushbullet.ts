import { t } from '@/i18n'
import { Inbox } from 'lucide-react'
import { defineProvider } from './definition'
import { apiUrlField } from './fields'

export const pushbullet = defineProvider({
  type: 'pushbullet',
  label: 'provider.pushbullet',
  description: 'provider.pushbullet.description',
  icon: Inbox,
  fields: [
    { key: 'pushbullet_access_token', kind: 'secret', label: 'notify.field.access_token', required: true },
    { key: 'pushbullet_device_id', kind: 'text', label: 'notify.pushbullet.device', hint: 'notify.pushbullet.deviceHint' },
    { key: 'pushbullet_channel_tag', kind: 'text', label: 'notify.pushbullet.channel', hint: 'notify.pushbullet.channelHint' },
    { key: 'pushbullet_custom_template', kind: 'template', label: 'notify.field.template' },
    apiUrlField('api_url', 'https://api.pushbullet.com'),
  ],
  check: (c) => {
    const text = (v: unknown) => (typeof v === 'string' ? v.trim() : '')
    return {
      pushbullet_channel_tag:
        text(c.pushbullet_device_id) && text(c.pushbullet_channel_tag) ? t('validation.pushbulletOneTarget') : undefined,
    }
  },
})
