import { MessageCircle } from 'lucide-react'
import { t } from '@/i18n'
import { defineProvider } from './definition'
import { when } from './fields'

const MESSAGE_TYPES = ['send_to_channel', 'send_to_new_forum_post', 'send_to_thread'] as const

export const discord = defineProvider({
  type: 'discord',
  label: 'provider.discord',
  description: 'provider.discord.description',
  icon: MessageCircle,
  fields: [
    { key: 'webhook_url', kind: 'secret-url', label: 'notify.field.webhook_url', hint: 'notify.discord.webhookHint', required: true, placeholder: 'https://discord.com/api/webhooks/…' },
    { key: 'bot_display_name', kind: 'text', label: 'notify.discord.displayName', placeholder: 'Peekaping' },
    { key: 'custom_message_prefix', kind: 'text', label: 'notify.discord.prefix', hint: 'notify.discord.prefixHint', placeholder: '@here' },
    {
      key: 'message_type',
      kind: 'select',
      label: 'notify.discord.messageType',
      options: MESSAGE_TYPES.map((value) => ({ value, label: `notify.discord.messageType.${value}` as const })),
    },
    { key: 'thread_name', kind: 'text', label: 'notify.discord.threadName', visible: when('message_type', 'send_to_new_forum_post'), required: true },
    { key: 'thread_id', kind: 'text', label: 'notify.discord.threadId', visible: when('message_type', 'send_to_thread'), required: true },
  ],
  check: (c) => {
    const thread = typeof c.thread_id === 'string' ? c.thread_id.trim() : ''
    return {
      thread_id: c.message_type === 'send_to_thread' && thread && !/^\d+$/.test(thread) ? t('validation.discordThread') : undefined,
    }
  },
})
