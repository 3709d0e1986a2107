import type { ReactNode } from 'react'
import { t } from '@/i18n'
import { errorMessage } from '@/lib/errors'
import { Alert } from './alert'
import { Button } from './button'
import { Spinner } from './skeleton'

/** The three states every list and panel has besides "data". */
export function LoadingState({ label = t('common.loading'), className }: { label?: string; className?: string }) {
  return (
    <div className={className ?? 'flex justify-center py-10 text-muted-foreground'}>
      <Spinner label={label} />
    </div>
  )
}

export function ErrorState({ title, error, onRetry }: { title: string; error: unknown; onRetry?: () => void }) {
  return (
    <Alert
      title={title}
      action={
        onRetry ? (
          <Button size="sm" variant="outline" onClick={onRetry}>
            {t('common.retry')}
          </Button>
        ) : undefined
      }
    >
      {errorMessage(error)}
    </Alert>
  )
}

export function EmptyState({ title, body, action, icon }: { title: string; body?: ReactNode; action?: ReactNode; icon?: ReactNode }) {
  return (
    <div className="flex flex-col items-center gap-3 rounded-lg border border-dashed px-6 py-12 text-center">
      {icon ? <div className="text-muted-foreground [&_svg]:size-8">{icon}</div> : null}
      <div className="grid gap-1">
        <p className="font-medium">{title}</p>
        {body ? <p className="max-w-sm text-sm text-muted-foreground">{body}</p> : null}
      </div>
      {action}
    </div>
  )
}
