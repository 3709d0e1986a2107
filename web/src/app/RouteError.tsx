import { isRouteErrorResponse, useRouteError } from 'react-router'
import { Button } from '@/components/ui/button'
import { t } from '@/i18n'
import NotFoundPage from '@/pages/NotFoundPage'

/** Last-resort boundary: a page crashed or its chunk failed to load (e.g. after an upgrade). */
export function RouteError() {
  const error = useRouteError()
  if (isRouteErrorResponse(error) && error.status === 404) return <NotFoundPage />
  const message = error instanceof Error ? error.message : String(error)
  return (
    <div className="mx-auto grid max-w-lg gap-4 px-6 py-24 text-center">
      <h1 className="text-xl font-semibold">{t('common.errorTitle')}</h1>
      <p className="text-sm break-words text-muted-foreground">{message}</p>
      <div>
        <Button onClick={() => window.location.reload()}>{t('common.retry')}</Button>
      </div>
    </div>
  )
}
