import { useEffect, type ReactNode } from 'react'
import { ThemeToggle } from '@/components/layout/ThemeToggle'
import { Card, CardContent } from '@/components/ui/card'
import { t } from '@/i18n'

/** Centred card used by the sign-in and first-run pages. */
export function AuthCard({ title, subtitle, children }: { title: string; subtitle: string; children: ReactNode }) {
  useEffect(() => {
    document.title = `${title} · ${t('app.name')}`
  }, [title])
  return (
    <div className="flex min-h-dvh flex-col">
      <div className="flex justify-end p-3">
        <ThemeToggle />
      </div>
      <main className="flex flex-1 items-start justify-center px-4 pt-[8vh] pb-10">
        <div className="grid w-full max-w-sm gap-6">
          <div className="flex flex-col items-center gap-3 text-center">
            <img src="/favicon.svg" alt="" className="size-10" />
            <h1 className="text-xl font-semibold">{title}</h1>
            <p className="text-sm text-muted-foreground">{subtitle}</p>
          </div>
          <Card>
            <CardContent>{children}</CardContent>
          </Card>
        </div>
      </main>
    </div>
  )
}
