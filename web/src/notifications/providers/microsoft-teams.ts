import { Users } from 'lucide-react'
import { defineProvider } from './definition'
import { templateFields } from './fields'

export const microsoftTeams = defineProvider({
  type: 'microsoft_teams',
  label: 'provider.microsoft_teams',
  description: 'provider.microsoft_teams.description',
  icon: Users,
  fields: [
    { key: 'webhook_url', kind: 'secret-url', label: 'notify.field.webhook_url', hint: 'notify.teams.webhookHint', required: true, placeholder: 'https://….webhook.office.com/…' },
    ...templateFields(),
  ],
})
