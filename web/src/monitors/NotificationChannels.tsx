/**
 * The monitor form's "Notifications" section: one checkbox per channel. A new monitor starts
 * with the channels marked "enable for new monitors" ticked.
 */
import { useQuery } from '@tanstack/react-query'
import { useEffect } from 'react'
import { Link } from 'react-router'
import { channelKeys, listChannels } from '@/api/notifications'
import { Checkbox } from '@/components/ui/checkbox'
import { t } from '@/i18n'
import { findProvider } from '@/notifications/providers/registry'
import { FormSection } from './FormSection'

function providerLabel(type: string): string {
  const provider = findProvider(type)
  return provider ? t(provider.label) : type
}

interface NotificationChannelsProps {
  /** `null` until chosen: a new monitor whose defaults are not known yet. */
  value: string[] | null
  onChange: (ids: string[]) => void
}

export function NotificationChannels({ value, onChange }: NotificationChannelsProps) {
  const channels = useQuery({ queryKey: channelKeys.list(), queryFn: ({ signal }) => listChannels(signal), staleTime: 30_000 })

  // Tick the default channels once they are known (new monitors only: `value` is null there).
  useEffect(() => {
    if (value === null && channels.data) onChange(channels.data.filter((c) => c.is_default).map((c) => c.id))
  }, [value, channels.data, onChange])

  const selected = new Set(value ?? [])
  const toggle = (id: string, on: boolean) => {
    const current = value ?? []
    onChange(on ? [...current.filter((cid) => cid !== id), id] : current.filter((cid) => cid !== id))
  }

  let body
  if (channels.isPending) body = <p className="text-sm text-muted-foreground">{t('common.loading')}</p>
  else if (channels.isError) body = <p className="text-sm text-destructive">{t('form.notificationsError')}</p>
  else if (channels.data.length === 0)
    body = (
      <p className="text-sm text-muted-foreground">
        {t('form.notificationsEmpty')}{' '}
        <Link to="/notifications/new" className="text-primary underline-offset-4 hover:underline">
          {t('form.notificationsCreate')}
        </Link>
      </p>
    )
  else
    body = (
      <div className="grid gap-3 sm:grid-cols-2" data-field="notification_ids">
        {channels.data.map((channel) => (
          <Checkbox
            key={channel.id}
            label={channel.name}
            hint={[providerLabel(channel.type), channel.is_default ? t('form.notificationsDefault') : null, channel.active ? null : t('status.paused').toLowerCase()]
              .filter(Boolean)
              .join(' · ')}
            checked={selected.has(channel.id)}
            onChange={(event) => toggle(channel.id, event.target.checked)}
          />
        ))}
      </div>
    )

  return (
    <FormSection title={t('form.section.notifications')}>
      <p className="-mt-2 text-xs text-muted-foreground">{t('form.notificationsHint')}</p>
      {body}
    </FormSection>
  )
}
