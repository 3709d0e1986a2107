import { FileCode } from 'lucide-react'
import { Badge } from '@/components/ui/badge'
import { t } from '@/i18n'
import { cn } from '@/lib/cn'

/** "Managed by file" on monitors the monitors file declares. */
export function ManagedBadge({ className }: { className?: string }) {
  return (
    <Badge className={cn('gap-1', className)} title={t('monitors.managedByFileHint')}>
      <FileCode aria-hidden="true" className="size-3" />
      {t('monitors.managedByFile')}
    </Badge>
  )
}
