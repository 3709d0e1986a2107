/** How delivery attempts read in the UI: a coloured badge and the one-line "last delivery". */
import type { DeliveryStatus, NotificationDelivery } from '@/api/types'
import { Badge } from '@/components/ui/badge'
import { t } from '@/i18n'
import { cn } from '@/lib/cn'
import { relativeTime } from '@/lib/time'

const KNOWN: readonly DeliveryStatus[] = ['sent', 'retrying', 'failed', 'folded']

function deliveryStatus(value: string): DeliveryStatus | undefined {
  return (KNOWN as readonly string[]).includes(value) ? (value as DeliveryStatus) : undefined
}

const BADGE: Record<DeliveryStatus, string> = {
  sent: 'border-status-up/40 bg-status-up/15 text-status-up',
  retrying: 'border-status-pending/50 bg-status-pending/15 text-status-pending',
  failed: 'border-status-down/40 bg-status-down/15 text-status-down',
  folded: 'text-muted-foreground',
}

export function DeliveryBadge({ status }: { status: string }) {
  const known = deliveryStatus(status)
  return (
    <Badge className={cn('uppercase tracking-wide', known ? BADGE[known] : 'text-muted-foreground')} data-status={status}>
      {known ? t(`deliveries.status.${known}`) : status}
    </Badge>
  )
}

/** "Sent 3 min ago" / "Last delivery failed: 401 from Slack" (red) / "No deliveries yet". */
export function LastDelivery({ delivery, now }: { delivery: NotificationDelivery | null | undefined; now?: number }) {
  if (!delivery) {
    return (
      <span className="text-muted-foreground" data-last-delivery="none">
        {t('channels.last.none')}
      </span>
    )
  }
  const ago = relativeTime(delivery.time, now)
  const error = delivery.error ?? ''
  const status = deliveryStatus(delivery.status)
  const text =
    status === 'failed'
      ? t('channels.last.failed', { error })
      : status === 'retrying'
        ? t('channels.last.retrying', { error })
        : status === 'folded'
          ? t('channels.last.folded', { ago })
          : t('channels.last.sent', { ago })
  return (
    <span
      data-last-delivery={delivery.status}
      title={delivery.time}
      className={cn(status === 'failed' ? 'text-destructive' : status === 'retrying' ? 'text-status-pending' : 'text-muted-foreground')}
    >
      {text}
    </span>
  )
}
