import { Badge } from '@/components/ui/badge'
import { cn } from '@/lib/cn'
import { STATUS_BADGE, STATUS_BG, statusLabel, type DisplayStatus } from '@/monitors/status'

/** The UP / DOWN / PENDING / MAINTENANCE / PAUSED pill; fixed minimum width so rows never shift. */
export function StatusBadge({ status, className }: { status: DisplayStatus; className?: string }) {
  return (
    <Badge className={cn('min-w-[6.5rem] justify-center uppercase tracking-wide', STATUS_BADGE[status], className)} data-status={status}>
      <span aria-hidden="true" className={cn('size-1.5 rounded-full', STATUS_BG[status])} />
      {statusLabel(status)}
    </Badge>
  )
}
