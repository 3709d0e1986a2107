import { AlarmClock } from 'lucide-react'
import { defineProvider } from './definition'

export const grafanaOncall = defineProvider({
  type: 'grafana_oncall',
  label: 'provider.grafana_oncall',
  description: 'provider.grafana_oncall.description',
  icon: AlarmClock,
  fields: [
    { key: 'grafana_oncall_url', kind: 'secret-url', label: 'notify.grafanaOncall.url', hint: 'notify.grafanaOncall.urlHint', required: true },
  ],
})
