import { t } from '@/i18n'
import { Grid2x2 } from 'lucide-react'
import { defineProvider } from './definition'

export const matrix = defineProvider({
  type: 'matrix',
  label: 'provider.matrix',
  description: 'provider.matrix.description',
  icon: Grid2x2,
  fields: [
    { key: 'homeserver_url', kind: 'url', label: 'notify.matrix.homeserver', required: true, placeholder: 'https://matrix.org' },
    { key: 'internal_room_id', kind: 'text', label: 'notify.matrix.room', hint: 'notify.matrix.roomHint', required: true, placeholder: '!abcdefgh:matrix.org' },
    { key: 'access_token', kind: 'secret', label: 'notify.field.access_token', required: true },
    { key: 'custom_message', kind: 'template', label: 'notify.field.custom_message' },
  ],
  check: (c) => {
    const room = ((v: unknown) => (typeof v === 'string' ? v.trim() : ''))(c.internal_room_id)
    return { internal_room_id: room && !/^![^:\s]+:\S+$/.test(room) ? t('validation.matrixRoom') : undefined }
  },
})
