import { useQuery, useQueryClient } from '@tanstack/react-query'
import { useNavigate, useParams } from 'react-router'
import { channelKeys, createChannel, getChannel, updateChannel } from '@/api/notifications'
import { PageLayout } from '@/components/layout/PageLayout'
import { ErrorState, LoadingState } from '@/components/ui/states'
import { toast } from '@/components/ui/toast'
import { t } from '@/i18n'
import { ChannelForm } from '@/notifications/ChannelForm'
import { channelBody, draftFromChannel, newChannelDraft, type ChannelDraft } from '@/notifications/draft'

/** /notifications/new and /notifications/:id/edit. */
export default function NotificationEditPage() {
  const { id } = useParams()
  const navigate = useNavigate()
  const queryClient = useQueryClient()
  const source = useQuery({
    queryKey: channelKeys.detail(id ?? ''),
    queryFn: ({ signal }) => getChannel(id!, signal),
    enabled: Boolean(id),
  })

  const title = id ? t('channelForm.editTitle', { name: source.data?.name ?? '…' }) : t('channelForm.newTitle')
  const back = { to: '/notifications', label: t('channelForm.back') }

  const save = async (draft: ChannelDraft) => {
    const saved = id ? await updateChannel(id, channelBody(draft)) : await createChannel(channelBody(draft))
    queryClient.setQueryData(channelKeys.detail(saved.id), saved)
    void queryClient.invalidateQueries({ queryKey: channelKeys.list() })
    toast(t(id ? 'channelForm.updated' : 'channelForm.created'))
    navigate('/notifications')
  }

  let content
  if (id && source.isPending) content = <LoadingState />
  else if (id && source.isError) content = <ErrorState title={t('channelForm.loadError')} error={source.error} onRetry={() => void source.refetch()} />
  else {
    const initial = source.data ? draftFromChannel(source.data) : newChannelDraft()
    content = <ChannelForm key={id ?? 'new'} initial={initial} channelId={id} cancelTo={back.to} onSubmit={save} />
  }

  return (
    <PageLayout title={title} back={back} className="max-w-3xl">
      {content}
    </PageLayout>
  )
}
