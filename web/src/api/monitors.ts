/** /monitors: CRUD, heartbeats, stats and TLS info. Query keys live here too. */
import { data, getText, http } from './client'
import type {
  Granularity,
  Heartbeat,
  HeartbeatListQuery,
  Monitor,
  MonitorCreate,
  MonitorListQuery,
  MonitorPatch,
  StatPoints,
  TlsInfo,
  UptimeStats,
} from './types'

/** GET /monitors query; `page` is 0-based. */
export type MonitorListParams = MonitorListQuery & { page: number; limit: number }

export interface MonitorPage {
  items: Monitor[]
  total: number
}

export type HeartbeatListParams = HeartbeatListQuery

export const monitorKeys = {
  all: ['monitors'] as const,
  lists: () => ['monitors', 'list'] as const,
  list: (filters: Omit<MonitorListParams, 'page' | 'limit'>, limit: number, page: number) =>
    ['monitors', 'list', filters, limit, page] as const,
  detail: (id: string) => ['monitors', 'detail', id] as const,
  batch: (ids: string[]) => ['monitors', 'batch', ids] as const,
  heartbeats: (id: string, params: HeartbeatListParams) => ['monitors', 'detail', id, 'heartbeats', params] as const,
  uptime: (id: string) => ['monitors', 'detail', id, 'uptime'] as const,
  points: (id: string, range: string) => ['monitors', 'detail', id, 'points', range] as const,
  tls: (id: string) => ['monitors', 'detail', id, 'tls'] as const,
}

export async function listMonitors(params: MonitorListParams, signal?: AbortSignal): Promise<MonitorPage> {
  const envelope = await http.get<Monitor[]>('/monitors', {
    query: {
      q: params.q,
      page: params.page,
      limit: params.limit,
      active: params.active,
      status: params.status,
      type: params.type,
      tag_ids: params.tag_ids,
    },
    signal,
  })
  const items = envelope.data ?? []
  return { items, total: typeof envelope.total === 'number' ? envelope.total : items.length }
}

export function getMonitorsByIds(ids: string[]): Promise<Monitor[]> {
  return data(http.get<Monitor[]>('/monitors/batch', { query: { ids: ids.join(',') } }))
}

export function getMonitor(id: string, signal?: AbortSignal): Promise<Monitor> {
  return data(http.get<Monitor>(`/monitors/${encodeURIComponent(id)}`, { signal }))
}

export function createMonitor(body: MonitorCreate): Promise<Monitor> {
  return data(http.post<Monitor>('/monitors', body))
}

export function updateMonitor(id: string, body: MonitorCreate): Promise<Monitor> {
  return data(http.put<Monitor>(`/monitors/${encodeURIComponent(id)}`, body))
}

export function patchMonitor(id: string, body: MonitorPatch): Promise<Monitor> {
  return data(http.patch<Monitor>(`/monitors/${encodeURIComponent(id)}`, body))
}

/** The monitor as a monitors-file entry (YAML), for "Copy as YAML". */
export function getMonitorYaml(id: string): Promise<string> {
  return getText(`/monitors/${encodeURIComponent(id)}/yaml`)
}

export async function deleteMonitor(id: string): Promise<void> {
  await http.delete<unknown>(`/monitors/${encodeURIComponent(id)}`)
}

export async function resetMonitor(id: string): Promise<void> {
  await http.post<unknown>(`/monitors/${encodeURIComponent(id)}/reset`)
}

/** Newest first unless `reverse`. */
export function listHeartbeats(id: string, params: HeartbeatListParams, signal?: AbortSignal): Promise<Heartbeat[]> {
  return data(
    http.get<Heartbeat[]>(`/monitors/${encodeURIComponent(id)}/heartbeats`, {
      query: { limit: params.limit, page: params.page, important: params.important, reverse: params.reverse },
      signal,
    }),
  ).then((beats) => beats ?? [])
}

/** Last `limit` beats of each monitor, oldest → newest: one request per list page. */
export function latestHeartbeats(ids: string[], limit: number, signal?: AbortSignal): Promise<Record<string, Heartbeat[]>> {
  return data(
    http.get<Record<string, Heartbeat[]>>('/monitors/heartbeats/latest', {
      query: { ids: ids.join(','), limit },
      signal,
    }),
  ).then((map) => map ?? {})
}

export function getUptime(id: string, signal?: AbortSignal): Promise<UptimeStats> {
  return data(http.get<UptimeStats>(`/monitors/${encodeURIComponent(id)}/stats/uptime`, { signal }))
}

export function getStatPoints(
  id: string,
  since: Date,
  until: Date,
  granularity: Granularity,
  signal?: AbortSignal,
): Promise<StatPoints> {
  return data(
    http.get<StatPoints>(`/monitors/${encodeURIComponent(id)}/stats/points`, {
      query: { since: since.toISOString(), until: until.toISOString(), granularity },
      signal,
    }),
  )
}

/** Whether the monitor's badges are served (it is active and on a published status page). */
export function getBadgeExposure(id: string, signal?: AbortSignal): Promise<{ public: boolean }> {
  return data(http.get<{ public: boolean }>(`/monitors/${encodeURIComponent(id)}/badges`, { signal }))
}

export function getTlsInfo(id: string, signal?: AbortSignal): Promise<TlsInfo | null> {
  return data(http.get<TlsInfo | null>(`/monitors/${encodeURIComponent(id)}/tls`, { signal })).then(
    (info) => info ?? null,
  )
}
