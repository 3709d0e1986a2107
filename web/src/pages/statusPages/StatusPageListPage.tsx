import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { ExternalLink, Globe, Lock, Pencil, Plus, Trash2 } from 'lucide-react'
import { useState } from 'react'
import { Link } from 'react-router'
import { deleteStatusPage, listStatusPages, publicPageUrl, statusPageKeys } from '@/api/statusPages'
import type { StatusPage } from '@/api/types'
import { PageLayout } from '@/components/layout/PageLayout'
import { Badge } from '@/components/ui/badge'
import { Button, buttonVariants } from '@/components/ui/button'
import { Card } from '@/components/ui/card'
import { ConfirmDialog } from '@/components/ui/dialog'
import { LoadingState, EmptyState, ErrorState } from '@/components/ui/states'
import { toast } from '@/components/ui/toast'
import { t } from '@/i18n'
import { errorMessage } from '@/lib/errors'

function PageRow({ page, onDelete }: { page: StatusPage; onDelete: (page: StatusPage) => void }) {
  const monitors = page.monitor_ids.length + page.sections.reduce((n, s) => n + s.monitor_ids.length, 0)
  return (
    <li data-status-page-row={page.id} className="grid grid-cols-[minmax(0,1fr)_auto] items-center gap-3 border-b px-3 py-3 last:border-b-0 sm:px-4">
      <div className="grid min-w-0 gap-0.5">
        <div className="flex min-w-0 flex-wrap items-center gap-2">
          <Link to={`/status-pages/${page.id}/edit`} className="truncate font-medium hover:underline">
            {page.title}
          </Link>
          {page.published ? null : <Badge className="text-muted-foreground">{t('statusPages.draft')}</Badge>}
          {page.has_password ? (
            <Badge className="text-muted-foreground" title={t('statusPages.protected')}>
              <Lock className="size-3" aria-hidden="true" /> {t('statusPages.protected')}
            </Badge>
          ) : null}
        </div>
        <p className="truncate text-xs text-muted-foreground">
          /status/{page.slug} · {t('statusPages.monitorCount', { n: monitors })}
          {page.domains.length ? ` · ${page.domains.join(', ')}` : ''}
        </p>
      </div>
      <div className="flex items-center gap-1">
        <a href={publicPageUrl(page.slug)} target="_blank" rel="noreferrer" className={buttonVariants({ variant: 'ghost', size: 'icon' })} title={t('statusPages.open')} aria-label={`${t('statusPages.open')}: ${page.title}`}>
          <ExternalLink aria-hidden="true" />
        </a>
        <Link to={`/status-pages/${page.id}/edit`} className={buttonVariants({ variant: 'ghost', size: 'icon' })} title={t('statusPages.edit')} aria-label={`${t('statusPages.edit')}: ${page.title}`}>
          <Pencil aria-hidden="true" />
        </Link>
        <Button variant="ghost" size="icon" title={t('statusPages.delete')} aria-label={`${t('statusPages.delete')}: ${page.title}`} onClick={() => onDelete(page)}>
          <Trash2 aria-hidden="true" />
        </Button>
      </div>
    </li>
  )
}

/** /status-pages: every public status page, whether it is published or protected, and a link to it. */
export default function StatusPageListPage() {
  const queryClient = useQueryClient()
  const pages = useQuery({ queryKey: statusPageKeys.list(), queryFn: ({ signal }) => listStatusPages(signal) })
  const [deleting, setDeleting] = useState<StatusPage | null>(null)
  const remove = useMutation({
    mutationFn: (id: string) => deleteStatusPage(id),
    onSuccess: () => {
      setDeleting(null)
      toast(t('statusPages.deleted'))
      void queryClient.invalidateQueries({ queryKey: statusPageKeys.all })
    },
    onError: (error) => toast(errorMessage(error), 'error'),
  })

  const newButton = (
    <Link to="/status-pages/new" className={buttonVariants()}>
      <Plus aria-hidden="true" />
      {t('statusPages.new')}
    </Link>
  )

  let content
  if (pages.isPending) content = <LoadingState />
  else if (pages.isError) content = <ErrorState title={t('statusPages.loadError')} error={pages.error} onRetry={() => void pages.refetch()} />
  else if (pages.data.length === 0) content = <EmptyState icon={<Globe />} title={t('statusPages.empty')} body={t('statusPages.emptyBody')} action={newButton} />
  else
    content = (
      <Card>
        <ul>
          {pages.data.map((page) => (
            <PageRow key={page.id} page={page} onDelete={setDeleting} />
          ))}
        </ul>
      </Card>
    )

  return (
    <PageLayout title={t('statusPages.title')} description={t('statusPages.description')} actions={pages.data?.length ? newButton : undefined} className="max-w-4xl">
      {content}
      <ConfirmDialog
        open={deleting !== null}
        title={t('statusPages.confirmDeleteTitle')}
        description={t('statusPages.confirmDeleteBody', { name: deleting?.title ?? '' })}
        confirmLabel={t('statusPages.delete')}
        destructive
        busy={remove.isPending}
        onConfirm={() => deleting && remove.mutate(deleting.id)}
        onClose={() => setDeleting(null)}
      />
    </PageLayout>
  )
}
