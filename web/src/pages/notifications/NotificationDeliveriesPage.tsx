import { useQuery } from '@tanstack/react-query'
import { Pencil } from 'lucide-react'
import { Link, useParams } from 'react-router'
import { getMonitorsByIds, monitorKeys } from '@/api/monitors'
import { channelKeys, getChannel, listDeliveries } from '@/api/notifications'
import { PageLayout } from '@/components/layout/PageLayout'
import { buttonVariants } from '@/components/ui/button'
import { Card } from '@/components/ui/card'
import { EmptyState, ErrorState, LoadingState } from '@/components/ui/states'
import { t } from '@/i18n'
import { formatDateTime } from '@/lib/time'
import { DeliveryBadge } from '@/notifications/delivery'
import { findProvider } from '@/notifications/providers/registry'

const LIMIT = 200
const REFRESH_MS = 5_000

/** /notifications/:id: the channel's delivery log (time, monitor, attempt, status, error). */
export default function NotificationDeliveriesPage() {
  const { id = '' } = useParams()
  const channel = useQuery({ queryKey: channelKeys.detail(id), queryFn: ({ signal }) => getChannel(id, signal) })
  const deliveries = useQuery({
    queryKey: channelKeys.deliveries(id),
    queryFn: ({ signal }) => listDeliveries(id, LIMIT, signal),
    refetchInterval: REFRESH_MS,
  })
  const monitorIds = [...new Set((deliveries.data ?? []).map((d) => d.monitor_id).filter((m): m is string => Boolean(m)))].sort()
  const monitors = useQuery({
    queryKey: monitorKeys.batch(monitorIds),
    queryFn: () => getMonitorsByIds(monitorIds),
    enabled: monitorIds.length > 0,
    staleTime: 60_000,
  })
  const monitorName = new Map((monitors.data ?? []).map((m) => [m.id, m.name]))

  const name = channel.data?.name ?? '…'
  const provider = channel.data ? findProvider(channel.data.type) : undefined

  let content
  if (deliveries.isPending) content = <LoadingState />
  else if (deliveries.isError) content = <ErrorState title={t('deliveries.loadError')} error={deliveries.error} onRetry={() => void deliveries.refetch()} />
  else if (deliveries.data.length === 0) content = <EmptyState title={t('deliveries.empty')} />
  else
    content = (
      <Card className="overflow-x-auto">
        <table className="w-full text-sm" data-testid="delivery-log">
          <thead className="border-b text-left text-xs text-muted-foreground">
            <tr>
              <th className="px-4 py-2 font-medium">{t('deliveries.time')}</th>
              <th className="px-4 py-2 font-medium">{t('deliveries.monitor')}</th>
              <th className="px-4 py-2 text-right font-medium">{t('deliveries.attempt')}</th>
              <th className="px-4 py-2 font-medium">{t('deliveries.status')}</th>
              <th className="px-4 py-2 font-medium">{t('deliveries.error')}</th>
            </tr>
          </thead>
          <tbody>
            {deliveries.data.map((d, index) => (
              <tr key={`${d.time}-${d.attempt}-${index}`} className="border-b last:border-b-0 align-top">
                <td className="px-4 py-2 whitespace-nowrap tabular">{formatDateTime(d.time)}</td>
                <td className="px-4 py-2">
                  {d.monitor_id ? (
                    <Link to={`/monitors/${d.monitor_id}`} className="hover:underline">
                      {monitorName.get(d.monitor_id) ?? (monitors.isPending ? '…' : t('deliveries.deletedMonitor'))}
                    </Link>
                  ) : (
                    t('deliveries.noMonitor')
                  )}
                </td>
                <td className="px-4 py-2 text-right tabular">{d.attempt}</td>
                <td className="px-4 py-2">
                  <DeliveryBadge status={d.status} />
                </td>
                <td className="px-4 py-2 break-words text-muted-foreground">{d.error ?? ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </Card>
    )

  return (
    <PageLayout
      title={`${t('deliveries.title')}: ${name}`}
      description={channel.data ? (provider ? t(provider.label) : channel.data.type) : undefined}
      back={{ to: '/notifications', label: t('channelForm.back') }}
      actions={
        <Link to={`/notifications/${id}/edit`} className={buttonVariants({ variant: 'outline' })}>
          <Pencil aria-hidden="true" />
          {t('channels.edit')}
        </Link>
      }
      className="max-w-5xl"
    >
      {channel.isError ? <ErrorState title={t('channelForm.loadError')} error={channel.error} /> : null}
      {content}
    </PageLayout>
  )
}
