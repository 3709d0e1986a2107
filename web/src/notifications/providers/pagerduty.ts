import { Siren } from 'lucide-react'
import { defineProvider } from './definition'

const PRIORITIES = ['info', 'warning', 'error', 'critical'] as const
const AUTO_RESOLVE = ['0', 'acknowledge', 'resolve'] as const

export const pagerduty = defineProvider({
  type: 'pagerduty',
  label: 'provider.pagerduty',
  description: 'provider.pagerduty.description',
  icon: Siren,
  fields: [
    { key: 'pagerduty_integration_key', kind: 'secret', label: 'notify.pagerduty.key', hint: 'notify.pagerduty.keyHint', required: true },
    {
      key: 'pagerduty_priority',
      kind: 'select',
      label: 'notify.pagerduty.priority',
      initial: 'warning',
      options: PRIORITIES.map((value) => ({ value, label: `notify.pagerduty.priority.${value}` as const })),
    },
    {
      key: 'pagerduty_auto_resolve',
      kind: 'select',
      label: 'notify.pagerduty.autoResolve',
      options: AUTO_RESOLVE.map((value) => ({ value, label: `notify.pagerduty.autoResolve.${value}` as const })),
    },
    {
      key: 'pagerduty_integration_url',
      kind: 'url',
      label: 'notify.field.api_url',
      hint: 'notify.pagerduty.urlHint',
      required: true,
      advanced: true,
      initial: 'https://events.pagerduty.com/v2/enqueue',
    },
  ],
})
