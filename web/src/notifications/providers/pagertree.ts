import { TreePine } from 'lucide-react'
import { defineProvider } from './definition'

const URGENCIES = ['silent', 'low', 'medium', 'high', 'critical'] as const

export const pagertree = defineProvider({
  type: 'pagertree',
  label: 'provider.pagertree',
  description: 'provider.pagertree.description',
  icon: TreePine,
  fields: [
    { key: 'integrationUrl', kind: 'secret-url', label: 'notify.pagertree.url', required: true, placeholder: 'https://api.pagertree.com/integration/int_…' },
    {
      key: 'urgency',
      kind: 'select',
      label: 'notify.pagertree.urgency',
      initial: 'high',
      options: URGENCIES.map((value) => ({ value, label: `notify.pagertree.urgency.${value}` as const })),
    },
    { key: 'autoResolve', kind: 'boolean', label: 'notify.pagertree.autoResolve', hint: 'notify.pagertree.autoResolveHint' },
    { key: 'authToken', kind: 'secret', label: 'notify.pagertree.authToken' },
  ],
})
