import { Send } from 'lucide-react'
import { t } from '@/i18n'
import { defineProvider } from './definition'
import { apiUrlField, templateFields, when } from './fields'

const PARSE_MODES = ['plain', 'MarkdownV2', 'HTML', 'Markdown'] as const

export const telegram = defineProvider({
  type: 'telegram',
  label: 'provider.telegram',
  description: 'provider.telegram.description',
  icon: Send,
  fields: [
    { key: 'bot_token', kind: 'secret', label: 'notify.telegram.botToken', hint: 'notify.telegram.botTokenHint', required: true, placeholder: '123456:ABC-DEF…' },
    { key: 'chat_id', kind: 'text', label: 'notify.telegram.chatId', hint: 'notify.telegram.chatIdHint', required: true, placeholder: '-1001234567890' },
    { key: 'message_thread_id', kind: 'text', label: 'notify.telegram.threadId', hint: 'notify.telegram.threadIdHint' },
    ...templateFields(),
    {
      key: 'template_parse_mode',
      kind: 'select',
      label: 'notify.telegram.parseMode',
      visible: when('use_template', true),
      options: PARSE_MODES.map((value) => ({ value, label: `notify.telegram.parseMode.${value}` as const })),
    },
    { key: 'send_silently', kind: 'boolean', label: 'notify.telegram.silent', hint: 'notify.telegram.silentHint' },
    { key: 'protect_content', kind: 'boolean', label: 'notify.telegram.protect', hint: 'notify.telegram.protectHint' },
    apiUrlField('server_url', 'https://api.telegram.org'),
  ],
  check: (c) => {
    const token = typeof c.bot_token === 'string' ? c.bot_token : ''
    const thread = typeof c.message_thread_id === 'string' ? c.message_thread_id.trim() : ''
    return {
      bot_token: /[\s/]/.test(token.trim()) ? t('validation.botToken') : undefined,
      message_thread_id: thread && !/^-?\d+$/.test(thread) ? t('validation.integer') : undefined,
    }
  },
})
