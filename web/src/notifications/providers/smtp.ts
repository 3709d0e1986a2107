import { Mail } from 'lucide-react'
import { t } from '@/i18n'
import { defineProvider } from './definition'

/** `smtp_secure` as the server reads it: true (TLS), false (STARTTLS if offered), "starttls", "none". */
const SECURITY = ['false', 'starttls', 'true', 'none'] as const

export const smtp = defineProvider({
  type: 'smtp',
  label: 'provider.smtp',
  description: 'provider.smtp.description',
  icon: Mail,
  fields: [
    { key: 'smtp_host', kind: 'text', label: 'notify.smtp.host', required: true, placeholder: 'smtp.example.com' },
    { key: 'smtp_port', kind: 'number', label: 'notify.smtp.port', required: true, min: 1, max: 65535, initial: '587' },
    {
      key: 'smtp_secure',
      kind: 'select',
      label: 'notify.smtp.secure',
      options: SECURITY.map((value) => ({ value, label: `notify.smtp.secure.${value}` as const })),
      decode: (raw) => {
        if (raw === true) return 'true'
        if (raw === false || raw === null || raw === undefined) return 'false'
        const text = String(raw).trim().toLowerCase()
        if (text === 'tls' || text === 'ssl' || text === 'true') return 'true'
        if (text === 'starttls' || text === 'none') return text
        return 'false'
      },
      encode: (value) => (value === 'true' ? true : value === 'false' ? false : value),
    },
    { key: 'username', kind: 'text', label: 'notify.smtp.username' },
    { key: 'password', kind: 'secret', label: 'notify.smtp.password' },
    { key: 'from', kind: 'email', label: 'notify.smtp.from', required: true, placeholder: 'Peekaping <alerts@example.com>' },
    { key: 'to', kind: 'emails', label: 'notify.smtp.to', hint: 'notify.smtp.listHint', required: true, placeholder: 'ops@example.com' },
    { key: 'cc', kind: 'emails', label: 'notify.smtp.cc' },
    { key: 'bcc', kind: 'emails', label: 'notify.smtp.bcc' },
    { key: 'custom_subject', kind: 'template', label: 'notify.smtp.subject', hint: 'notify.smtp.subjectHint', placeholder: '{{ status_icon }} {{ name }} is {{ status }}' },
    { key: 'custom_body', kind: 'template', label: 'notify.smtp.body', hint: 'notify.smtp.bodyHint' },
  ],
  // The server refuses a password without a user name (it could never log in).
  check: (c) => ({
    username: c.password !== '' && typeof c.username === 'string' && c.username.trim() === '' ? t('validation.usernameForPassword') : undefined,
  }),
})
