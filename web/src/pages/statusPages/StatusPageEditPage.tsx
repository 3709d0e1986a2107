import { useQuery, useQueryClient } from '@tanstack/react-query'
import { ExternalLink } from 'lucide-react'
import { useNavigate, useParams } from 'react-router'
import { createStatusPage, getStatusPage, patchStatusPage, publicPageUrl, statusPageKeys } from '@/api/statusPages'
import { PageLayout } from '@/components/layout/PageLayout'
import { buttonVariants } from '@/components/ui/button'
import { ErrorState, LoadingState } from '@/components/ui/states'
import { toast } from '@/components/ui/toast'
import { t } from '@/i18n'
import { draftFromStatusPage, newStatusPageDraft, statusPageBody, type StatusPageDraft } from '@/statusPages/draft'
import { IncidentsPanel } from '@/statusPages/IncidentsPanel'
import { StatusPageForm } from '@/statusPages/StatusPageForm'

/** /status-pages/new and /status-pages/:id/edit (with the page's incidents). */
export default function StatusPageEditPage() {
  const { id } = useParams()
  const navigate = useNavigate()
  const queryClient = useQueryClient()
  const source = useQuery({
    queryKey: statusPageKeys.detail(id ?? ''),
    queryFn: ({ signal }) => getStatusPage(id!, signal),
    enabled: Boolean(id),
  })

  const title = id ? t('statusPageForm.editTitle', { name: source.data?.title ?? '…' }) : t('statusPageForm.newTitle')
  const back = { to: '/status-pages', label: t('statusPageForm.back') }

  const save = async (draft: StatusPageDraft) => {
    const saved = id ? await patchStatusPage(id, statusPageBody(draft)) : await createStatusPage(statusPageBody(draft))
    queryClient.setQueryData(statusPageKeys.detail(saved.id), saved)
    void queryClient.invalidateQueries({ queryKey: statusPageKeys.list() })
    toast(t(id ? 'statusPageForm.updated' : 'statusPageForm.created'))
    navigate(id ? '/status-pages' : `/status-pages/${saved.id}/edit`)
  }

  const actions = source.data ? (
    <a href={publicPageUrl(source.data.slug)} target="_blank" rel="noreferrer" className={buttonVariants({ variant: 'outline' })}>
      <ExternalLink aria-hidden="true" />
      {t('statusPages.open')}
    </a>
  ) : undefined

  let content
  if (id && source.isPending) content = <LoadingState />
  else if (id && source.isError) content = <ErrorState title={t('statusPageForm.loadError')} error={source.error} onRetry={() => void source.refetch()} />
  else {
    const initial = source.data ? draftFromStatusPage(source.data) : newStatusPageDraft()
    content = (
      <div className="grid gap-6">
        <StatusPageForm key={source.data?.updated_at ?? 'new'} initial={initial} editing={Boolean(id)} cancelTo={back.to} onSubmit={save} />
        {id ? <IncidentsPanel pageId={id} /> : null}
      </div>
    )
  }

  return (
    <PageLayout title={title} back={back} actions={actions} className="max-w-3xl">
      {content}
    </PageLayout>
  )
}
