import type { ReactNode } from 'react'
import { cn } from '@/lib/cn'

interface AlertProps {
  tone?: 'error' | 'info'
  title?: ReactNode
  children?: ReactNode
  action?: ReactNode
  className?: string
}

export function Alert({ tone = 'error', title, children, action, className }: AlertProps) {
  return (
    <div
      role={tone === 'error' ? 'alert' : 'status'}
      className={cn(
        'flex flex-wrap items-start justify-between gap-3 rounded-md border px-4 py-3 text-sm',
        tone === 'error' ? 'border-destructive/40 bg-destructive/10 text-destructive' : 'bg-muted',
        className,
      )}
    >
      <div className="grid gap-1">
        {title ? <p className="font-medium">{title}</p> : null}
        {children ? <div className={tone === 'error' ? 'text-foreground/80' : undefined}>{children}</div> : null}
      </div>
      {action}
    </div>
  )
}
