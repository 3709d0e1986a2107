import { useQuery, useQueryClient } from '@tanstack/react-query'
import { useParams, useNavigate, useSearchParams } from 'react-router'
import { createMonitor, getMonitor, monitorKeys, updateMonitor } from '@/api/monitors'
import { PageLayout } from '@/components/layout/PageLayout'
import { Alert } from '@/components/ui/alert'
import { ErrorState, LoadingState } from '@/components/ui/states'
import { toast } from '@/components/ui/toast'
import { t } from '@/i18n'
import { draftFromMonitor, draftToBody, newDraft, type MonitorDraft } from '@/monitors/draft'
import { useMonitorLimits } from '@/monitors/limits'
import { MonitorForm } from '@/monitors/MonitorForm'
import { findMonitorType } from '@/monitors/types/registry'

/** /monitors/new (optionally ?clone=<id>) and /monitors/:id/edit. */
export default function MonitorEditPage() {
  const { id } = useParams()
  const [search] = useSearchParams()
  const cloneId = id ? null : search.get('clone')
  const sourceId = id ?? cloneId
  const navigate = useNavigate()
  const queryClient = useQueryClient()
  const { limits, ready } = useMonitorLimits()

  const source = useQuery({
    queryKey: monitorKeys.detail(sourceId ?? ''),
    queryFn: ({ signal }) => getMonitor(sourceId!, signal),
    enabled: Boolean(sourceId),
  })

  const mode = id ? 'edit' : 'create'
  const title =
    mode === 'edit'
      ? t('form.editTitle', { name: source.data?.name ?? '…' })
      : cloneId
        ? t('form.cloneTitle', { name: source.data?.name ?? '…' })
        : t('form.newTitle')
  const back = id ? { to: `/monitors/${id}`, label: source.data?.name ?? t('detail.backToList') } : { to: '/monitors', label: t('detail.backToList') }

  const save = async (draft: MonitorDraft) => {
    if (mode === 'edit' && id) {
      const saved = await updateMonitor(id, draftToBody(draft, source.data))
      if (saved) queryClient.setQueryData(monitorKeys.detail(id), saved)
      void queryClient.invalidateQueries({ queryKey: monitorKeys.detail(id) })
      void queryClient.invalidateQueries({ queryKey: monitorKeys.lists() })
      toast(t('form.updated'))
      navigate(`/monitors/${id}`)
    } else {
      const created = await createMonitor(draftToBody(draft, cloneId ? source.data : undefined))
      queryClient.setQueryData(monitorKeys.detail(created.id), created)
      void queryClient.invalidateQueries({ queryKey: monitorKeys.lists() })
      toast(t('form.created'))
      navigate(`/monitors/${created.id}`)
    }
  }

  let content
  if ((sourceId && source.isPending) || !ready) {
    content = <LoadingState />
  } else if (sourceId && source.isError) {
    content = <ErrorState title={t('detail.loadError')} error={source.error} onRetry={() => void source.refetch()} />
  } else if (source.data && !findMonitorType(source.data.type)) {
    content = <Alert tone="info">{t('form.unsupportedType', { type: source.data.type })}</Alert>
  } else {
    const initial = source.data ? draftFromMonitor(source.data, { clone: Boolean(cloneId) }) : newDraft()
    content = <MonitorForm key={sourceId ?? 'new'} initial={initial} mode={mode} limits={limits} cancelTo={back.to} monitorId={id} onSubmit={save} />
  }

  return (
    <PageLayout title={title} back={back} className="max-w-3xl">
      {content}
    </PageLayout>
  )
}
