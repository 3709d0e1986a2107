/**
 * /notification-channels: CRUD, the test send and each channel's delivery log. Query keys live
 * here too. Secrets come back as `********`; sending that mask back keeps the stored value.
 */
import { data, http } from './client'
import type {
  NotificationChannel,
  NotificationChannelCreate,
  NotificationChannelPatch,
  NotificationChannelTest,
  NotificationDelivery,
} from './types'

/** What the server shows in place of a stored secret (and accepts back as "unchanged"). */
export const SECRET_MASK = '********'

export const channelKeys = {
  all: ['notification-channels'] as const,
  list: () => ['notification-channels', 'list'] as const,
  detail: (id: string) => ['notification-channels', 'detail', id] as const,
  deliveries: (id: string) => ['notification-channels', 'detail', id, 'deliveries'] as const,
}

/** Every channel (a deployment has a handful; the server caps a page at 1000). */
export function listChannels(signal?: AbortSignal): Promise<NotificationChannel[]> {
  return data(http.get<NotificationChannel[]>('/notification-channels', { query: { limit: 1000, page: 0 }, signal })).then(
    (items) => items ?? [],
  )
}

export function getChannel(id: string, signal?: AbortSignal): Promise<NotificationChannel> {
  return data(http.get<NotificationChannel>(`/notification-channels/${encodeURIComponent(id)}`, { signal }))
}

export function createChannel(body: NotificationChannelCreate): Promise<NotificationChannel> {
  return data(http.post<NotificationChannel>('/notification-channels', body))
}

export function updateChannel(id: string, body: NotificationChannelCreate): Promise<NotificationChannel> {
  return data(http.put<NotificationChannel>(`/notification-channels/${encodeURIComponent(id)}`, body))
}

export function patchChannel(id: string, body: NotificationChannelPatch): Promise<NotificationChannel> {
  return data(http.patch<NotificationChannel>(`/notification-channels/${encodeURIComponent(id)}`, body))
}

export async function deleteChannel(id: string): Promise<void> {
  await http.delete<unknown>(`/notification-channels/${encodeURIComponent(id)}`)
}

/** Sends a real test message; rejects with the provider's answer (HTTP 502) when it fails. */
export async function testChannel(body: NotificationChannelTest): Promise<string> {
  const envelope = await http.post<unknown>('/notification-channels/test', body)
  return envelope.message
}

/** Newest first. */
export function listDeliveries(id: string, limit: number, signal?: AbortSignal): Promise<NotificationDelivery[]> {
  return data(
    http.get<NotificationDelivery[]>(`/notification-channels/${encodeURIComponent(id)}/deliveries`, { query: { limit }, signal }),
  ).then((items) => items ?? [])
}
