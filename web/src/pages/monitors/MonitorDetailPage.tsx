import { useMutation, useQuery, useQueryClient, type QueryClient } from '@tanstack/react-query'
import { Copy, FileCode, Pause, Pencil, Play, RotateCcw, Trash2 } from 'lucide-react'
import { lazy, Suspense, useEffect, useMemo, useState } from 'react'
import { Link, useNavigate, useParams } from 'react-router'
import { ApiError } from '@/api/client'
import {
  deleteMonitor,
  getMonitorYaml,
  getMonitor,
  getStatPoints,
  getTlsInfo,
  getUptime,
  listHeartbeats,
  monitorKeys,
  patchMonitor,
  type MonitorPage,
  resetMonitor,
} from '@/api/monitors'
import type { Heartbeat, Monitor, TlsInfo, UptimeStats } from '@/api/types'
import { HeartbeatBar } from '@/components/HeartbeatBar'
import { PageLayout } from '@/components/layout/PageLayout'
import { StatusBadge } from '@/components/StatusBadge'
import { Badge } from '@/components/ui/badge'
import { Button, buttonVariants } from '@/components/ui/button'
import { Card, CardContent, CardHeader, CardTitle } from '@/components/ui/card'
import { ConfirmDialog } from '@/components/ui/dialog'
import { Segmented } from '@/components/ui/segmented'
import { Skeleton } from '@/components/ui/skeleton'
import { EmptyState, ErrorState, LoadingState } from '@/components/ui/states'
import { toast } from '@/components/ui/toast'
import { t, type MessageKey } from '@/i18n'
import { cn } from '@/lib/cn'
import { errorMessage } from '@/lib/errors'
import { formatDateTime, formatPercent, formatPing, formatSeconds, relativeTime } from '@/lib/time'
import { buildChartSeries, RANGES, seriesIsEmpty, type RangeKey } from '@/monitors/chartData'
import { clearLive, forgetMonitor, ingestHeartbeat, seedBeats, track, useLive } from '@/monitors/live'
import { displayStatus, statusName } from '@/monitors/status'
import { monitorTarget } from '@/monitors/target'
import { TagChip } from '@/tags/TagChip'
import { findMonitorType } from '@/monitors/types/registry'
import { joinRoom, onEvent } from '@/realtime/socket'
import { BadgesPanel } from '@/monitors/BadgesPanel'
import { isFileManaged } from '@/monitors/managed'
import { ManagedBadge } from '@/monitors/ManagedBadge'

const ResponseChart = lazy(() => import('./ResponseChart'))

const CHART_HEIGHT = 240
const BAR_SLOTS = 50
const EVENTS_PAGE = 10

/** Joins `monitor:<id>`, feeds beats into the live store and refreshes derived data. */
function useLiveMonitor(id: string) {
  const queryClient = useQueryClient()
  useEffect(() => {
    track(id)
    const leave = joinRoom(`monitor:${id}`)
    let uptimeTimer: ReturnType<typeof setTimeout> | null = null
    const off = onEvent<Heartbeat>(`monitor:${id}:heartbeat`, (heartbeat) => {
      ingestHeartbeat(heartbeat)
      if (!uptimeTimer) {
        uptimeTimer = setTimeout(() => {
          uptimeTimer = null
          void queryClient.invalidateQueries({ queryKey: monitorKeys.uptime(id) })
        }, 10_000)
      }
      if (heartbeat.important) {
        void queryClient.invalidateQueries({ queryKey: ['monitors', 'detail', id, 'heartbeats'] })
        void queryClient.invalidateQueries({ queryKey: monitorKeys.uptime(id) })
        void queryClient.invalidateQueries({ queryKey: monitorKeys.detail(id), exact: true })
      }
    })
    return () => {
      if (uptimeTimer) clearTimeout(uptimeTimer)
      off()
      leave()
    }
  }, [id, queryClient])
}

function UptimeCards({ id }: { id: string }) {
  const uptime = useQuery({ queryKey: monitorKeys.uptime(id), queryFn: ({ signal }) => getUptime(id, signal), staleTime: 0 })
  const cards: { key: keyof UptimeStats; label: MessageKey }[] = [
    { key: '24h', label: 'detail.uptime24h' },
    { key: '7d', label: 'detail.uptime7d' },
    { key: '30d', label: 'detail.uptime30d' },
    { key: '365d', label: 'detail.uptime365d' },
  ]
  if (uptime.isError) return <ErrorState title={t('detail.uptime')} error={uptime.error} onRetry={() => void uptime.refetch()} />
  return (
    <section aria-label={t('detail.uptime')} className="grid grid-cols-2 gap-3 lg:grid-cols-4" data-testid="uptime-cards">
      {cards.map((card) => {
        const value = uptime.data?.[card.key]
        return (
          <Card key={card.key}>
            <CardContent className="grid gap-1 p-4 sm:p-4">
              <p className="text-xs text-muted-foreground">
                {t('detail.uptime')} · {t(card.label)}
              </p>
              {uptime.isPending ? (
                <Skeleton className="h-7 w-20" />
              ) : (
                <p
                  className={cn(
                    'h-7 text-xl font-semibold tabular',
                    typeof value === 'number' && value < 95 ? 'text-status-down' : typeof value === 'number' && value < 99.5 ? 'text-status-pending' : '',
                  )}
                >
                  {formatPercent(value ?? null)}
                </p>
              )}
            </CardContent>
          </Card>
        )
      })}
    </section>
  )
}

function ChartCard({ monitor }: { monitor: Monitor }) {
  const [rangeKey, setRangeKey] = useState<RangeKey>('3h')
  const range = RANGES.find((item) => item.key === rangeKey)!
  const live = useLive(monitor.id)
  const points = useQuery({
    queryKey: monitorKeys.points(monitor.id, rangeKey),
    queryFn: ({ signal }) => {
      const until = new Date()
      return getStatPoints(monitor.id, new Date(until.getTime() - range.ms), until, range.granularity, signal)
    },
    refetchInterval: range.granularity === 'minute' ? 60_000 : 300_000,
    staleTime: 0,
    placeholderData: (previous, previousQuery) => (previousQuery?.queryKey[4] === rangeKey ? previous : undefined),
  })
  // The window ends at the newest thing we know of: the last fetch or the last live beat.
  const now = Math.max(points.dataUpdatedAt, live.beats[live.beats.length - 1]?.time ?? 0)

  const series = useMemo(
    () =>
      buildChartSeries(
        points.data?.points ?? [],
        range.granularity,
        range.granularity === 'minute' ? live.beats : [],
        monitor.interval,
      ),
    [points.data, range.granularity, live.beats, monitor.interval],
  )
  const latestPing = [...live.beats].reverse().find((beat) => beat.ping !== null)?.ping ?? null
  const stats: { label: MessageKey; value: number | null | undefined }[] = [
    { label: 'detail.currentPing', value: latestPing },
    { label: 'detail.avgPing', value: points.data?.avgPing },
    { label: 'detail.minPing', value: points.data?.minPing },
    { label: 'detail.maxPing', value: points.data?.maxPing },
  ]

  return (
    <Card>
      <CardHeader>
        <CardTitle>{t('detail.responseTime')}</CardTitle>
        <Segmented
          label={t('detail.range')}
          value={rangeKey}
          onChange={setRangeKey}
          options={RANGES.map((item) => ({ value: item.key, label: t(`range.short.${item.key}` as MessageKey) }))}
        />
      </CardHeader>
      <CardContent className="grid gap-4">
        <dl className="grid grid-cols-2 gap-3 sm:grid-cols-4">
          {stats.map((stat) => (
            <div key={stat.label}>
              <dt className="text-xs text-muted-foreground">{t(stat.label)}</dt>
              <dd className="text-lg font-semibold tabular">{formatPing(stat.value ?? null)}</dd>
            </div>
          ))}
        </dl>
        <div className="relative" style={{ height: CHART_HEIGHT }}>
          {points.isError ? (
            <ErrorState title={t('detail.chartError')} error={points.error} onRetry={() => void points.refetch()} />
          ) : points.isPending ? (
            <Skeleton className="h-full w-full" />
          ) : seriesIsEmpty(series) ? (
            <div className="flex h-full items-center justify-center rounded-md border border-dashed text-sm text-muted-foreground">
              {t('detail.chartEmpty')}
            </div>
          ) : (
            <Suspense fallback={<Skeleton className="h-full w-full" />}>
              <ResponseChart
                series={series}
                from={Math.floor((now - range.ms) / 1000)}
                to={Math.ceil(now / 1000)}
                height={CHART_HEIGHT}
                label={t('detail.chartLabel', { range: t(`range.${rangeKey}` as MessageKey) })}
              />
            </Suspense>
          )}
        </div>
      </CardContent>
    </Card>
  )
}

function EventsCard({ id }: { id: string }) {
  const [page, setPage] = useState(0)
  const params = { important: true, limit: EVENTS_PAGE, page }
  const events = useQuery({
    queryKey: monitorKeys.heartbeats(id, params),
    queryFn: ({ signal }) => listHeartbeats(id, params, signal),
    placeholderData: (previous) => previous,
    staleTime: 0,
  })
  return (
    <Card>
      <CardHeader>
        <CardTitle>{t('detail.events')}</CardTitle>
      </CardHeader>
      <CardContent>
        {events.isPending ? (
          <LoadingState />
        ) : events.isError ? (
          <ErrorState title={t('detail.eventsError')} error={events.error} onRetry={() => void events.refetch()} />
        ) : events.data.length === 0 && page === 0 ? (
          <p className="py-6 text-center text-sm text-muted-foreground">{t('detail.eventsEmpty')}</p>
        ) : (
          <div className="grid gap-3">
            <div className="overflow-x-auto">
              <table className="w-full text-sm">
                <thead>
                  <tr className="border-b text-left text-xs text-muted-foreground">
                    <th scope="col" className="py-2 pr-3 font-medium">
                      {t('detail.eventStatus')}
                    </th>
                    <th scope="col" className="py-2 pr-3 font-medium">
                      {t('detail.eventTime')}
                    </th>
                    <th scope="col" className="py-2 font-medium">
                      {t('detail.eventMessage')}
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {events.data.map((event) => (
                    <tr key={event.id ?? event.time} className="border-b last:border-0">
                      <td className="py-2 pr-3 align-top">
                        <StatusBadge status={statusName(event.status)} />
                      </td>
                      <td className="py-2 pr-3 align-top whitespace-nowrap tabular">{formatDateTime(event.time)}</td>
                      <td className="py-2 align-top break-words text-muted-foreground">{event.msg || '—'}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            {page > 0 || events.data.length === EVENTS_PAGE ? (
              <div className="flex justify-end gap-2">
                <Button size="sm" variant="outline" disabled={page === 0} onClick={() => setPage((p) => Math.max(0, p - 1))}>
                  {t('common.previous')}
                </Button>
                <Button size="sm" variant="outline" disabled={events.data.length < EVENTS_PAGE} onClick={() => setPage((p) => p + 1)}>
                  {t('common.next')}
                </Button>
              </div>
            ) : null}
          </div>
        )}
      </CardContent>
    </Card>
  )
}

function CertificateCard({ info }: { info: TlsInfo }) {
  const leaf = info.chain[0]
  const daysLeft = info.days_remaining ?? leaf?.days_remaining
  const rows: { label: MessageKey; value: string }[] = leaf
    ? [
        { label: 'detail.certSubject', value: leaf.subject },
        { label: 'detail.certIssuer', value: leaf.issuer },
        { label: 'detail.certValidFrom', value: formatDateTime(leaf.not_before) },
        { label: 'detail.certValidUntil', value: formatDateTime(leaf.not_after) },
        { label: 'detail.certSans', value: leaf.sans.join(', ') || '—' },
        { label: 'detail.certFingerprint', value: leaf.fingerprint_sha256 },
      ]
    : []
  return (
    <Card>
      <CardHeader>
        <CardTitle>{t('detail.certificate')}</CardTitle>
        <div className="flex items-center gap-2">
          <Badge className={info.valid ? 'border-status-up/40 text-status-up' : 'border-status-down/40 text-status-down'}>
            {info.valid ? t('detail.certValid') : t('detail.certInvalid')}
          </Badge>
          {daysLeft !== undefined ? (
            <Badge className={daysLeft < 14 ? 'text-status-pending' : undefined}>{t('detail.certDaysLeft', { days: daysLeft })}</Badge>
          ) : null}
        </div>
      </CardHeader>
      <CardContent className="grid gap-3">
        {info.error ? <p className="text-sm text-status-down">{info.error}</p> : null}
        <dl className="grid gap-x-4 gap-y-2 text-sm sm:grid-cols-[10rem_1fr]">
          {rows.map((row) => (
            <div key={row.label} className="contents">
              <dt className="text-muted-foreground">{t(row.label)}</dt>
              <dd className="font-mono text-xs break-all sm:text-sm">{row.value}</dd>
            </div>
          ))}
        </dl>
        {info.chain.length > 1 ? (
          <details className="text-sm">
            <summary className="cursor-pointer text-muted-foreground">
              {t('detail.certChain')} ({info.chain.length})
            </summary>
            <ol className="mt-2 grid gap-2">
              {info.chain.map((cert, index) => (
                <li key={cert.fingerprint_sha256 || index} className="rounded-md border p-2 text-xs">
                  <p className="font-medium break-all">{cert.subject}</p>
                  <p className="break-all text-muted-foreground">
                    {t('detail.certIssuer')}: {cert.issuer} · {t('detail.certValidUntil')}: {formatDateTime(cert.not_after)}
                  </p>
                </li>
              ))}
            </ol>
          </details>
        ) : null}
      </CardContent>
    </Card>
  )
}

function StatusStrip({ monitor }: { monitor: Monitor }) {
  const live = useLive(monitor.id)
  const last = live.beats[live.beats.length - 1]
  const [, tick] = useState(0)
  useEffect(() => {
    const timer = setInterval(() => tick((n) => n + 1), 15_000)
    return () => clearInterval(timer)
  }, [])
  return (
    <Card>
      <CardHeader>
        <CardTitle>{t('detail.recentChecks')}</CardTitle>
        <p className="text-xs text-muted-foreground tabular">
          {last ? `${t('detail.lastCheck')}: ${relativeTime(last.time)} · ${formatPing(last.ping)}` : t('detail.noChecks')}
        </p>
      </CardHeader>
      <CardContent>
        <HeartbeatBar beats={live.beats} slots={BAR_SLOTS} size="md" />
        {last?.msg ? <p className="mt-3 truncate text-xs text-muted-foreground" title={last.msg}>{last.msg}</p> : <p className="mt-3 text-xs">&nbsp;</p>}
      </CardContent>
    </Card>
  )
}

function MonitorDetail({ monitor }: { monitor: Monitor }) {
  const id = monitor.id
  const navigate = useNavigate()
  const queryClient = useQueryClient()
  const live = useLive(id)
  const status = displayStatus(monitor.active, live.status ?? monitor.status)
  const [confirm, setConfirm] = useState<'delete' | 'reset' | null>(null)

  useLiveMonitor(id)
  const recent = useQuery({
    queryKey: monitorKeys.heartbeats(id, { limit: BAR_SLOTS }),
    queryFn: ({ signal }) => listHeartbeats(id, { limit: BAR_SLOTS }, signal),
    staleTime: 0,
  })
  // Merging is idempotent, so every fetch (including a refetch after a reset) just seeds.
  useEffect(() => {
    if (recent.data) seedBeats(id, [...recent.data].reverse())
  }, [id, recent.data])

  const tls = useQuery({ queryKey: monitorKeys.tls(id), queryFn: ({ signal }) => getTlsInfo(id, signal), retry: false })

  const toggle = useMutation({
    mutationFn: () => patchMonitor(id, { active: !monitor.active }),
    onSuccess: (saved) => {
      queryClient.setQueryData<Monitor>(monitorKeys.detail(id), (old) => (saved && saved.id ? saved : old ? { ...old, active: !old.active } : old))
      void queryClient.invalidateQueries({ queryKey: monitorKeys.lists() })
      toast(monitor.active ? t('detail.paused') : t('detail.resumed'))
    },
    onError: (error) => toast(errorMessage(error), 'error'),
  })
  const reset = useMutation({
    mutationFn: () => resetMonitor(id),
    onSuccess: () => {
      setConfirm(null)
      clearLive(id)
      void queryClient.invalidateQueries({ queryKey: monitorKeys.detail(id) })
      toast(t('detail.resetDone'))
    },
    onError: (error) => toast(errorMessage(error), 'error'),
  })
  const remove = useMutation({
    mutationFn: () => deleteMonitor(id),
    onSuccess: () => {
      // Leave first: removing the queries while this page still observes them would refetch
      // them (404). Unobserved, they are garbage-collected.
      navigate('/monitors', { replace: true })
      forgetMonitor(id)
      void queryClient.invalidateQueries({ queryKey: monitorKeys.lists() })
      toast(t('detail.deleted'))
    },
    onError: (error) => toast(errorMessage(error), 'error'),
  })

  const copyYaml = useMutation({
    mutationFn: async () => {
      const yaml = await getMonitorYaml(id)
      await navigator.clipboard.writeText(yaml)
    },
    onSuccess: () => toast(t('detail.yamlCopied')),
    onError: (error) => toast(errorMessage(error), 'error'),
  })

  const typeLabel = findMonitorType(monitor.type)?.label
  const target = monitorTarget(monitor)
  const managed = isFileManaged(monitor)
  const managedHint = managed ? t('monitors.managedByFileHint') : undefined

  return (
    <PageLayout
      title={monitor.name}
      back={{ to: '/monitors', label: t('detail.backToList') }}
      description={
        <span className="flex flex-wrap items-center gap-x-3 gap-y-1">
          <StatusBadge status={status} />
          {managed ? <ManagedBadge /> : null}
          <span>{typeLabel ? t(typeLabel) : monitor.type}</span>
          {target ? (
            /^https?:\/\//.test(target) ? (
              <a href={target} target="_blank" rel="noreferrer noopener" className="break-all text-primary hover:underline">
                {target}
              </a>
            ) : (
              <span className="break-all">{target}</span>
            )
          ) : null}
          <span>{t('detail.checkEvery', { interval: formatSeconds(monitor.interval) })}</span>
          {(monitor.tags ?? []).map((tag) => (
            <TagChip key={`${tag.tag_id}:${tag.value}`} name={tag.name} color={tag.color} value={tag.value} />
          ))}
        </span>
      }
      actions={
        <>
          <Button variant="outline" onClick={() => toggle.mutate()} disabled={toggle.isPending || managed} title={managedHint}>
            {monitor.active ? <Pause aria-hidden="true" /> : <Play aria-hidden="true" />}
            {monitor.active ? t('detail.pause') : t('detail.resume')}
          </Button>
          {managed ? (
            <Button variant="outline" disabled title={managedHint}>
              <Pencil aria-hidden="true" />
              {t('detail.edit')}
            </Button>
          ) : (
            <Link to={`/monitors/${id}/edit`} className={buttonVariants({ variant: 'outline' })}>
              <Pencil aria-hidden="true" />
              {t('detail.edit')}
            </Link>
          )}
          <Button variant="outline" onClick={() => copyYaml.mutate()} disabled={copyYaml.isPending}>
            <FileCode aria-hidden="true" />
            {t('detail.copyYaml')}
          </Button>
          <Link to={`/monitors/new?clone=${encodeURIComponent(id)}`} className={buttonVariants({ variant: 'outline' })}>
            <Copy aria-hidden="true" />
            {t('detail.clone')}
          </Link>
          <Button variant="outline" onClick={() => setConfirm('reset')}>
            <RotateCcw aria-hidden="true" />
            {t('detail.reset')}
          </Button>
          <Button variant="destructive" onClick={() => setConfirm('delete')} disabled={managed} title={managedHint}>
            <Trash2 aria-hidden="true" />
            {t('detail.delete')}
          </Button>
        </>
      }
    >
      <StatusStrip monitor={monitor} />
      <UptimeCards id={id} />
      <ChartCard monitor={monitor} />
      <EventsCard id={id} />
      {/* Last, so its late arrival never pushes other panels down. */}
      {tls.data ? <CertificateCard info={tls.data} /> : null}
      <BadgesPanel monitorId={monitor.id} monitorName={monitor.name} />

      <ConfirmDialog
        open={confirm === 'delete'}
        title={t('detail.confirmDeleteTitle')}
        description={t('detail.confirmDeleteBody', { name: monitor.name })}
        confirmLabel={t('detail.delete')}
        destructive
        busy={remove.isPending}
        onConfirm={() => remove.mutate()}
        onClose={() => setConfirm(null)}
      />
      <ConfirmDialog
        open={confirm === 'reset'}
        title={t('detail.confirmResetTitle')}
        description={t('detail.confirmResetBody', { name: monitor.name })}
        confirmLabel={t('detail.reset')}
        destructive
        busy={reset.isPending}
        onConfirm={() => reset.mutate()}
        onClose={() => setConfirm(null)}
      />
    </PageLayout>
  )
}

/** The monitor as a loaded list page has it, so opening a row shows the page at once. */
function fromLists(queryClient: QueryClient, id: string): Monitor | undefined {
  for (const [, page] of queryClient.getQueriesData<MonitorPage>({ queryKey: monitorKeys.lists() })) {
    const found = page?.items.find((item) => item.id === id)
    if (found) return found
  }
  return undefined
}

export default function MonitorDetailPage() {
  const { id = '' } = useParams()
  const queryClient = useQueryClient()
  const monitor = useQuery<Monitor>({
    queryKey: monitorKeys.detail(id),
    queryFn: ({ signal }) => getMonitor(id, signal),
    placeholderData: () => fromLists(queryClient, id),
  })

  if (monitor.isPending) return <LoadingState />
  if (monitor.isError) {
    if (monitor.error instanceof ApiError && monitor.error.status === 404) {
      return (
        <EmptyState
          title={t('detail.notFound')}
          action={
            <Link to="/monitors" className={buttonVariants({ variant: 'outline' })}>
              {t('detail.backToList')}
            </Link>
          }
        />
      )
    }
    return <ErrorState title={t('detail.loadError')} error={monitor.error} onRetry={() => void monitor.refetch()} />
  }
  return <MonitorDetail key={id} monitor={monitor.data} />
}
