import { BellRing } from 'lucide-react'
import { defineProvider } from './definition'
import { apiUrlField } from './fields'

const REGIONS = ['us', 'eu'] as const

export const opsgenie = defineProvider({
  type: 'opsgenie',
  label: 'provider.opsgenie',
  description: 'provider.opsgenie.description',
  icon: BellRing,
  fields: [
    {
      key: 'region',
      kind: 'select',
      label: 'notify.opsgenie.region',
      required: true,
      options: REGIONS.map((value) => ({ value, label: `notify.opsgenie.region.${value}` as const })),
    },
    { key: 'api_key', kind: 'secret', label: 'notify.field.api_key', required: true },
    { key: 'priority', kind: 'number', label: 'notify.field.priority', hint: 'notify.opsgenie.priorityHint', min: 1, max: 5, initial: '3' },
    apiUrlField('api_url', 'https://api.opsgenie.com'),
  ],
})
