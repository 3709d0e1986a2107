import { keepPreviousData, useQueries, useQuery, useQueryClient, type UseQueryResult } from '@tanstack/react-query'
import { useWindowVirtualizer } from '@tanstack/react-virtual'
import { Activity, Plus, Search, X } from 'lucide-react'
import { memo, useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react'
import { Link, useSearchParams } from 'react-router'
import { latestHeartbeats, listMonitors, monitorKeys, type MonitorListParams, type MonitorPage } from '@/api/monitors'
import type { Heartbeat, Monitor, MonitorStatus, MonitorStatusEvent } from '@/api/types'
import { HeartbeatBar } from '@/components/HeartbeatBar'
import { PageLayout } from '@/components/layout/PageLayout'
import { StatusBadge } from '@/components/StatusBadge'
import { Button, buttonVariants } from '@/components/ui/button'
import { Input, Select } from '@/components/ui/input'
import { Skeleton } from '@/components/ui/skeleton'
import { EmptyState, ErrorState } from '@/components/ui/states'
import { TagChip } from '@/tags/TagChip'
import { isFileManaged } from '@/monitors/managed'
import { ManagedBadge } from '@/monitors/ManagedBadge'
import { listTags, tagKeys } from '@/api/tags'
import { t } from '@/i18n'
import { formatPing } from '@/lib/time'
import { ingestHeartbeat, seedMany, useLive } from '@/monitors/live'
import { displayStatus, STATUS_FILTERS, statusLabel } from '@/monitors/status'
import { monitorTarget } from '@/monitors/target'
import { findMonitorType } from '@/monitors/types/registry'
import { joinRoom, onEvent } from '@/realtime/socket'

const PAGE_SIZE = 100
const ROW_HEIGHT = 68
const BAR_SLOTS = 30

type Filters = Omit<MonitorListParams, 'page' | 'limit'>

function parseStatus(value: string | null): MonitorStatus | undefined {
  return value === '0' || value === '1' || value === '2' || value === '3' ? (Number(value) as MonitorStatus) : undefined
}

function parseActive(value: string | null): boolean | undefined {
  return value === 'true' ? true : value === 'false' ? false : undefined
}

/** Beats for a freshly loaded page: one request for all its monitors; failures leave bars empty. */
function seedLatest(items: Monitor[]): void {
  if (items.length === 0) return
  latestHeartbeats(
    items.map((monitor) => monitor.id),
    BAR_SLOTS,
  )
    .then((byMonitor: Record<string, Heartbeat[]>) => seedMany(byMonitor))
    .catch(() => undefined)
}

function pageQuery(filters: Filters, page: number) {
  return {
    queryKey: monitorKeys.list(filters, PAGE_SIZE, page),
    queryFn: async ({ signal }: { signal: AbortSignal }): Promise<MonitorPage> => {
      const result = await listMonitors({ ...filters, page, limit: PAGE_SIZE }, signal)
      seedLatest(result.items)
      return result
    },
  }
}

/** Joins `monitor:all` while the list is open and feeds heartbeats into the live store. */
function useLiveList(statusFiltered: boolean) {
  const queryClient = useQueryClient()
  useEffect(() => {
    const leave = joinRoom('monitor:all')
    const offBeat = onEvent<Heartbeat>('monitor:all:heartbeat', ingestHeartbeat)
    let timer: ReturnType<typeof setTimeout> | null = null
    // With a status filter, a status change moves monitors in or out of the result.
    const offStatus = statusFiltered
      ? onEvent<MonitorStatusEvent>('monitor:status', () => {
          if (timer) return
          timer = setTimeout(() => {
            timer = null
            void queryClient.invalidateQueries({ queryKey: monitorKeys.lists() })
          }, 1000)
        })
      : () => {}
    return () => {
      if (timer) clearTimeout(timer)
      leave()
      offBeat()
      offStatus()
    }
  }, [queryClient, statusFiltered])
}

const MonitorRow = memo(function MonitorRow({ monitor, index }: { monitor: Monitor; index: number }) {
  const live = useLive(monitor.id)
  const status = displayStatus(monitor.active, live.status ?? monitor.status)
  const last = live.beats[live.beats.length - 1]
  const typeLabel = findMonitorType(monitor.type)?.label
  const target = monitorTarget(monitor)
  return (
    <Link
      to={`/monitors/${monitor.id}`}
      data-index={index}
      data-monitor-row={monitor.id}
      data-status={status}
      className="grid h-full grid-cols-[minmax(0,1fr)_auto] grid-rows-2 items-center gap-x-3 border-b px-3 py-2 transition-colors hover:bg-accent/60 focus-visible:bg-accent focus-visible:outline-offset-[-2px] sm:grid-cols-[7rem_minmax(0,1fr)_auto_5rem] sm:px-4"
    >
      <span className="col-start-2 row-start-1 justify-self-end sm:col-start-1 sm:row-span-2 sm:justify-self-start">
        <StatusBadge status={status} />
      </span>
      <span className="col-start-1 row-start-1 flex min-w-0 items-center gap-1.5 self-end sm:col-start-2">
        <span className="truncate font-medium">{monitor.name}</span>
        {isFileManaged(monitor) ? <ManagedBadge className="shrink-0" /> : null}
        {(monitor.tags ?? []).slice(0, 3).map((tag) => (
          <TagChip key={`${tag.tag_id}:${tag.value}`} name={tag.name} color={tag.color} value={tag.value} className="hidden shrink-0 sm:inline-flex" />
        ))}
      </span>
      <span className="col-start-1 row-start-2 min-w-0 self-start truncate text-xs text-muted-foreground sm:col-start-2">
        {typeLabel ? t(typeLabel) : monitor.type}
        {target ? ` · ${target}` : ''}
      </span>
      <HeartbeatBar
        beats={live.beats}
        slots={BAR_SLOTS}
        className="col-start-2 row-start-2 w-[6.5rem] justify-self-end sm:col-start-3 sm:row-span-2 sm:row-start-1 sm:w-[15rem]"
      />
      <span className="hidden text-right text-sm text-muted-foreground tabular sm:col-start-4 sm:row-span-2 sm:row-start-1 sm:block">
        {formatPing(last?.ping)}
      </span>
    </Link>
  )
})

function RowSkeleton() {
  return (
    <div className="grid h-full grid-cols-[minmax(0,1fr)_auto] items-center gap-3 border-b px-3 sm:grid-cols-[7rem_minmax(0,1fr)_auto_5rem] sm:px-4" aria-hidden="true">
      <Skeleton className="hidden h-5 w-24 sm:block" />
      <div className="grid gap-1.5">
        <Skeleton className="h-4 w-40 max-w-full" />
        <Skeleton className="h-3 w-56 max-w-full" />
      </div>
      <Skeleton className="h-5 w-24 sm:w-[15rem]" />
      <Skeleton className="hidden h-4 w-12 justify-self-end sm:block" />
    </div>
  )
}

interface MonitorRowsProps {
  filters: Filters
  first: UseQueryResult<MonitorPage>
  filtered: boolean
  onClearFilters: () => void
}

function MonitorRows({ filters, first, filtered, onClearFilters }: MonitorRowsProps) {
  const listRef = useRef<HTMLDivElement>(null)
  const [scrollMargin, setScrollMargin] = useState(0)
  const total = first.data?.total ?? 0

  useLayoutEffect(() => {
    const element = listRef.current
    if (!element) return
    const measure = () => setScrollMargin(element.getBoundingClientRect().top + window.scrollY)
    measure()
    const observer = new ResizeObserver(measure)
    observer.observe(document.body)
    return () => observer.disconnect()
  }, [first.isSuccess])

  const virtualizer = useWindowVirtualizer({
    count: total,
    estimateSize: () => ROW_HEIGHT,
    overscan: 10,
    scrollMargin,
  })
  const items = virtualizer.getVirtualItems()
  const pageNumbers = useMemo(() => {
    const set = new Set<number>()
    for (const item of items) set.add(Math.floor(item.index / PAGE_SIZE))
    set.delete(0)
    return [...set]
  }, [items])

  const pages = useQueries({ queries: pageNumbers.map((page) => ({ ...pageQuery(filters, page), staleTime: 30_000 })) })
  const rowAt = (index: number): Monitor | undefined => {
    const page = Math.floor(index / PAGE_SIZE)
    const data = page === 0 ? first.data : pages[pageNumbers.indexOf(page)]?.data
    return data?.items[index % PAGE_SIZE]
  }

  const onKeyDown = useCallback(
    (event: KeyboardEvent<HTMLDivElement>) => {
      if (event.key !== 'ArrowDown' && event.key !== 'ArrowUp' && event.key !== 'Home' && event.key !== 'End') return
      const current = (document.activeElement as HTMLElement | null)?.closest<HTMLElement>('[data-index]')
      const index = current ? Number(current.dataset.index) : -1
      const next =
        event.key === 'Home' ? 0 : event.key === 'End' ? total - 1 : Math.min(total - 1, Math.max(0, index + (event.key === 'ArrowDown' ? 1 : -1)))
      event.preventDefault()
      virtualizer.scrollToIndex(next, { align: 'auto' })
      requestAnimationFrame(() => listRef.current?.querySelector<HTMLElement>(`[data-index="${next}"]`)?.focus())
    },
    [total, virtualizer],
  )

  if (first.isPending) {
    return (
      <div className="overflow-hidden rounded-lg border bg-card" aria-busy="true" aria-label={t('common.loading')}>
        {Array.from({ length: 6 }, (_, index) => (
          <div key={index} style={{ height: ROW_HEIGHT }}>
            <RowSkeleton />
          </div>
        ))}
      </div>
    )
  }
  if (first.isError) {
    return <ErrorState title={t('monitors.loadError')} error={first.error} onRetry={() => void first.refetch()} />
  }
  if (total === 0) {
    return filtered ? (
      <EmptyState
        icon={<Search />}
        title={t('monitors.empty.filteredTitle')}
        body={t('monitors.empty.filteredBody')}
        action={
          <Button variant="outline" onClick={onClearFilters}>
            {t('monitors.filter.clear')}
          </Button>
        }
      />
    ) : (
      <EmptyState
        icon={<Activity />}
        title={t('monitors.empty.title')}
        body={t('monitors.empty.body')}
        action={
          <Link to="/monitors/new" className={buttonVariants()}>
            <Plus aria-hidden="true" />
            {t('monitors.new')}
          </Link>
        }
      />
    )
  }

  return (
    <div className="overflow-hidden rounded-lg border bg-card">
      <div
        className="hidden grid-cols-[7rem_minmax(0,1fr)_15rem_5rem] gap-x-3 border-b bg-muted/50 px-4 py-2 text-xs font-medium text-muted-foreground sm:grid"
        aria-hidden="true"
      >
        <span>{t('monitors.column.status')}</span>
        <span>{t('monitors.column.name')}</span>
        <span className="text-right">{t('monitors.column.beats')}</span>
        <span className="text-right">{t('monitors.column.ping')}</span>
      </div>
      <div
        ref={listRef}
        role="list"
        aria-label={t('monitors.list')}
        aria-busy={first.isFetching}
        onKeyDown={onKeyDown}
        style={{ height: virtualizer.getTotalSize(), position: 'relative' }}
      >
        {items.map((item) => {
          const monitor = rowAt(item.index)
          return (
            <div
              key={item.key}
              role="listitem"
              aria-setsize={total}
              aria-posinset={item.index + 1}
              style={{ position: 'absolute', top: 0, left: 0, right: 0, height: ROW_HEIGHT, transform: `translateY(${item.start - scrollMargin}px)` }}
            >
              {monitor ? <MonitorRow monitor={monitor} index={item.index} /> : <RowSkeleton />}
            </div>
          )
        })}
      </div>
    </div>
  )
}

export default function MonitorListPage() {
  const [search, setSearch] = useSearchParams()
  const q = search.get('q') ?? ''
  const status = parseStatus(search.get('status'))
  const active = parseActive(search.get('active'))
  const tag = search.get('tag') ?? ''
  const [query, setQuery] = useState(q)
  const filters = useMemo<Filters>(() => ({ q: q || undefined, status, active, tag_ids: tag || undefined }), [q, status, active, tag])
  const filtered = Boolean(q) || status !== undefined || active !== undefined || Boolean(tag)
  const tags = useQuery({ queryKey: tagKeys.list(), queryFn: ({ signal }) => listTags(signal), staleTime: 30_000 })
  const first = useQuery({ ...pageQuery(filters, 0), placeholderData: keepPreviousData })
  const totalData = first.data

  useLiveList(status !== undefined)

  const setParam = useCallback(
    (key: string, value: string | undefined) => {
      setSearch(
        (previous) => {
          const next = new URLSearchParams(previous)
          if (value === undefined || value === '') next.delete(key)
          else next.set(key, value)
          return next
        },
        { replace: true },
      )
    },
    [setSearch],
  )

  // Search as you type, one request per pause.
  useEffect(() => {
    if (query === q) return
    const timer = setTimeout(() => setParam('q', query.trim() || undefined), 300)
    return () => clearTimeout(timer)
  }, [query, q, setParam])

  const clearFilters = () => {
    setQuery('')
    setSearch(new URLSearchParams(), { replace: true })
  }

  return (
    <PageLayout
      title={t('monitors.title')}
      description={
        totalData ? (totalData.total === 1 ? t('monitors.countOne') : t('monitors.count', { count: totalData.total })) : t('monitors.description')
      }
      actions={
        <Link to="/monitors/new" className={buttonVariants()}>
          <Plus aria-hidden="true" />
          {t('monitors.new')}
        </Link>
      }
    >
      <div className="flex flex-wrap items-center gap-2" role="search">
        <div className="relative min-w-0 flex-1 basis-60">
          <Search className="pointer-events-none absolute top-1/2 left-2.5 size-4 -translate-y-1/2 text-muted-foreground" aria-hidden="true" />
          <Input
            type="search"
            aria-label={t('monitors.search')}
            placeholder={t('monitors.searchPlaceholder')}
            className="pl-8"
            value={query}
            onChange={(event) => setQuery(event.target.value)}
          />
        </div>
        <Select
          aria-label={t('monitors.filter.status')}
          className="w-auto min-w-36 flex-none"
          value={status === undefined ? '' : String(status)}
          onChange={(event) => setParam('status', event.target.value || undefined)}
        >
          <option value="">
            {t('monitors.filter.status')}: {t('common.all')}
          </option>
          {STATUS_FILTERS.map((option) => (
            <option key={option.value} value={option.value}>
              {statusLabel(option.key)}
            </option>
          ))}
        </Select>
        <Select
          aria-label={t('monitors.filter.active')}
          className="w-auto min-w-36 flex-none"
          value={active === undefined ? '' : String(active)}
          onChange={(event) => setParam('active', event.target.value || undefined)}
        >
          <option value="">
            {t('monitors.filter.active')}: {t('common.all')}
          </option>
          <option value="true">{t('monitors.filter.activeOnly')}</option>
          <option value="false">{t('monitors.filter.pausedOnly')}</option>
        </Select>
        {tags.data?.length ? (
          <Select
            aria-label={t('monitors.filter.tag')}
            className="w-auto min-w-36 flex-none"
            value={tag}
            onChange={(event) => setParam('tag', event.target.value || undefined)}
          >
            <option value="">
              {t('monitors.filter.tag')}: {t('common.all')}
            </option>
            {tags.data.map((option) => (
              <option key={option.id} value={option.id}>
                {option.name}
              </option>
            ))}
          </Select>
        ) : null}
        {filtered ? (
          <Button variant="ghost" onClick={clearFilters}>
            <X aria-hidden="true" />
            {t('monitors.filter.clear')}
          </Button>
        ) : null}
      </div>
      <MonitorRows filters={filters} first={first} filtered={filtered} onClearFilters={clearFilters} />
    </PageLayout>
  )
}
