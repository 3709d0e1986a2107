import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { BellRing, History, Pencil, Plus, Trash2 } from 'lucide-react'
import { useState } from 'react'
import { Link } from 'react-router'
import { channelKeys, deleteChannel, listChannels, patchChannel } from '@/api/notifications'
import type { NotificationChannel } from '@/api/types'
import { PageLayout } from '@/components/layout/PageLayout'
import { Badge } from '@/components/ui/badge'
import { Button, buttonVariants } from '@/components/ui/button'
import { Card } from '@/components/ui/card'
import { ConfirmDialog } from '@/components/ui/dialog'
import { Skeleton } from '@/components/ui/skeleton'
import { EmptyState, ErrorState } from '@/components/ui/states'
import { Switch } from '@/components/ui/switch'
import { toast } from '@/components/ui/toast'
import { t } from '@/i18n'
import { errorMessage } from '@/lib/errors'
import { LastDelivery } from '@/notifications/delivery'
import { findProvider } from '@/notifications/providers/registry'

/** Deliveries are not pushed over the socket: the list polls while it is open. */
const REFRESH_MS = 5_000

function ChannelRow({ channel, onDelete }: { channel: NotificationChannel; onDelete: (channel: NotificationChannel) => void }) {
  const queryClient = useQueryClient()
  const provider = findProvider(channel.type)
  const Icon = provider?.icon ?? BellRing
  const toggle = useMutation({
    mutationFn: (active: boolean) => patchChannel(channel.id, { active }),
    onSuccess: (saved) => {
      queryClient.setQueryData<NotificationChannel[]>(channelKeys.list(), (list) => list?.map((c) => (c.id === saved.id ? saved : c)))
      toast(t(saved.active ? 'channels.activated' : 'channels.paused', { name: saved.name }))
    },
    onError: (error) => toast(errorMessage(error), 'error'),
  })
  const active = toggle.isPending && toggle.variables !== undefined ? toggle.variables : channel.active

  return (
    <li
      data-channel-row={channel.id}
      className="grid grid-cols-[auto_minmax(0,1fr)_auto] items-center gap-x-3 gap-y-2 border-b px-3 py-3 last:border-b-0 sm:px-4"
    >
      <span className="flex size-9 items-center justify-center rounded-md bg-muted text-muted-foreground" aria-hidden="true">
        <Icon className="size-4" />
      </span>
      <div className="grid min-w-0 gap-0.5">
        <div className="flex min-w-0 flex-wrap items-center gap-2">
          <Link to={`/notifications/${channel.id}`} className="truncate font-medium hover:underline">
            {channel.name}
          </Link>
          {channel.is_default ? (
            <Badge title={t('channels.defaultTitle')} className="text-muted-foreground">
              {t('channels.default')}
            </Badge>
          ) : null}
        </div>
        <p className="truncate text-xs text-muted-foreground">
          {provider ? t(provider.label) : t('channels.unknownProvider', { type: channel.type })}
        </p>
        <p className="text-xs break-words">
          <LastDelivery delivery={channel.last_delivery} />
        </p>
      </div>
      <div className="flex items-center gap-1">
        <Switch
          checked={active}
          disabled={toggle.isPending}
          label={t('channels.toggleActive', { name: channel.name })}
          onCheckedChange={(next) => toggle.mutate(next)}
          className="mr-2"
        />
        <Link to={`/notifications/${channel.id}`} className={buttonVariants({ variant: 'ghost', size: 'icon' })} title={t('channels.deliveries')} aria-label={`${t('channels.deliveries')}: ${channel.name}`}>
          <History aria-hidden="true" />
        </Link>
        <Link to={`/notifications/${channel.id}/edit`} className={buttonVariants({ variant: 'ghost', size: 'icon' })} title={t('channels.edit')} aria-label={`${t('channels.edit')}: ${channel.name}`}>
          <Pencil aria-hidden="true" />
        </Link>
        <Button variant="ghost" size="icon" title={t('channels.delete')} aria-label={`${t('channels.delete')}: ${channel.name}`} onClick={() => onDelete(channel)}>
          <Trash2 aria-hidden="true" />
        </Button>
      </div>
    </li>
  )
}

function ListSkeleton() {
  return (
    <Card aria-hidden="true">
      {[0, 1, 2].map((i) => (
        <div key={i} className="flex items-center gap-3 border-b px-4 py-3 last:border-b-0">
          <Skeleton className="size-9" />
          <div className="grid flex-1 gap-1.5">
            <Skeleton className="h-4 w-40" />
            <Skeleton className="h-3 w-56 max-w-full" />
          </div>
        </div>
      ))}
    </Card>
  )
}

/** /notifications: every channel, its provider, whether it is on, and how its last delivery went. */
export default function NotificationListPage() {
  const queryClient = useQueryClient()
  const channels = useQuery({
    queryKey: channelKeys.list(),
    queryFn: ({ signal }) => listChannels(signal),
    refetchInterval: REFRESH_MS,
  })
  const [deleting, setDeleting] = useState<NotificationChannel | null>(null)
  const remove = useMutation({
    mutationFn: (id: string) => deleteChannel(id),
    onSuccess: () => {
      setDeleting(null)
      toast(t('channels.deleted'))
      void queryClient.invalidateQueries({ queryKey: channelKeys.all })
    },
    onError: (error) => toast(errorMessage(error), 'error'),
  })

  const newButton = (
    <Link to="/notifications/new" className={buttonVariants()}>
      <Plus aria-hidden="true" />
      {t('channels.new')}
    </Link>
  )

  let content
  if (channels.isPending) content = <ListSkeleton />
  else if (channels.isError) content = <ErrorState title={t('channels.loadError')} error={channels.error} onRetry={() => void channels.refetch()} />
  else if (channels.data.length === 0)
    content = <EmptyState icon={<BellRing />} title={t('channels.empty')} body={t('channels.emptyBody')} action={newButton} />
  else
    content = (
      <Card>
        <ul>
          {channels.data.map((channel) => (
            <ChannelRow key={channel.id} channel={channel} onDelete={setDeleting} />
          ))}
        </ul>
      </Card>
    )

  return (
    <PageLayout title={t('channels.title')} description={t('channels.description')} actions={channels.data?.length ? newButton : undefined} className="max-w-4xl">
      {content}
      <ConfirmDialog
        open={deleting !== null}
        title={t('channels.confirmDeleteTitle')}
        description={t('channels.confirmDeleteBody', { name: deleting?.name ?? '' })}
        confirmLabel={t('channels.delete')}
        destructive
        busy={remove.isPending}
        onConfirm={() => deleting && remove.mutate(deleting.id)}
        onClose={() => setDeleting(null)}
      />
    </PageLayout>
  )
}
