import { useQuery, useQueryClient } from '@tanstack/react-query'
import { useNavigate, useParams } from 'react-router'
import { createMaintenance, getMaintenance, maintenanceKeys, updateMaintenance } from '@/api/maintenances'
import { PageLayout } from '@/components/layout/PageLayout'
import { ErrorState, LoadingState } from '@/components/ui/states'
import { toast } from '@/components/ui/toast'
import { t } from '@/i18n'
import { draftFromMaintenance, maintenanceBody, newMaintenanceDraft, type MaintenanceDraft } from '@/maintenances/draft'
import { MaintenanceForm } from '@/maintenances/MaintenanceForm'

/** /maintenances/new and /maintenances/:id/edit. */
export default function MaintenanceEditPage() {
  const { id } = useParams()
  const navigate = useNavigate()
  const queryClient = useQueryClient()
  const source = useQuery({
    queryKey: maintenanceKeys.detail(id ?? ''),
    queryFn: ({ signal }) => getMaintenance(id!, signal),
    enabled: Boolean(id),
  })
  const title = id ? t('maintenanceForm.editTitle', { title: source.data?.title ?? '…' }) : t('maintenanceForm.newTitle')
  const back = { to: '/maintenances', label: t('maintenanceForm.back') }

  const save = async (draft: MaintenanceDraft) => {
    const body = maintenanceBody(draft)
    const saved = id ? await updateMaintenance(id, body) : await createMaintenance(body)
    queryClient.setQueryData(maintenanceKeys.detail(saved.id), saved)
    void queryClient.invalidateQueries({ queryKey: maintenanceKeys.list() })
    toast(t(id ? 'maintenanceForm.updated' : 'maintenanceForm.created'))
    navigate('/maintenances')
  }

  let content
  if (id && source.isPending) content = <LoadingState />
  else if (id && source.isError) content = <ErrorState title={t('maintenanceForm.loadError')} error={source.error} onRetry={() => void source.refetch()} />
  else {
    const initial = source.data ? draftFromMaintenance(source.data) : newMaintenanceDraft()
    content = <MaintenanceForm key={id ?? 'new'} initial={initial} editing={Boolean(id)} cancelTo={back.to} onSubmit={save} />
  }
  return (
    <PageLayout title={title} back={back} className="max-w-3xl">
      {content}
    </PageLayout>
  )
}
