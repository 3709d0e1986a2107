import { ChevronLeft } from 'lucide-react'
import { useEffect, type ReactNode } from 'react'
import { Link } from 'react-router'
import { t } from '@/i18n'
import { cn } from '@/lib/cn'

interface PageLayoutProps {
  title: ReactNode
  /** Plain-text title for the browser tab when `title` is not a string. */
  documentTitle?: string
  description?: ReactNode
  actions?: ReactNode
  back?: { to: string; label: string }
  children: ReactNode
  className?: string
}

/** Every page's frame: optional back link, heading, description and actions, then content. */
export function PageLayout({ title, documentTitle, description, actions, back, children, className }: PageLayoutProps) {
  const tabTitle = documentTitle ?? (typeof title === 'string' ? title : undefined)
  useEffect(() => {
    if (tabTitle) document.title = `${tabTitle} · ${t('app.name')}`
  }, [tabTitle])

  return (
    <div className={cn('grid gap-6', className)}>
      <div className="grid gap-2">
        {back ? (
          <Link to={back.to} className="inline-flex w-fit items-center gap-1 text-sm text-muted-foreground hover:text-foreground">
            <ChevronLeft className="size-4" aria-hidden="true" />
            {back.label}
          </Link>
        ) : null}
        <div className="flex flex-wrap items-start justify-between gap-3">
          <div className="grid min-w-0 gap-1">
            <h1 className="text-2xl font-semibold tracking-tight break-words">{title}</h1>
            {description ? <div className="text-sm text-muted-foreground">{description}</div> : null}
          </div>
          {actions ? <div className="flex flex-wrap items-center gap-2">{actions}</div> : null}
        </div>
      </div>
      {children}
    </div>
  )
}
