/** /api-keys: API keys for scripts and scrapers, and the `metrics_enabled` setting. Query keys live here too. */
import { data, http } from './client'
import type { components } from './schema'

type Schemas = components['schemas']
export type ApiKey = Schemas['ApiKey']
/** A new key with its full token (`key`), returned only by create. */
export type ApiKeyWithToken = Schemas['ApiKeyWithToken']
export type ApiKeyCreate = Schemas['ApiKeyCreate']
/** Body of PUT /api-keys/:id; `null` clears expiry or usage limit (absent keeps them). */
export type ApiKeyUpdate = Omit<Schemas['ApiKeyUpdate'], 'expires_at' | 'max_usage_count'> & {
  expires_at?: string | null
  max_usage_count?: number | null
}
export type ApiKeyScope = 'read' | 'write'

export const apiKeyKeys = {
  all: ['api-keys'] as const,
  list: () => ['api-keys', 'list'] as const,
  metrics: () => ['settings', 'metrics_enabled'] as const,
}

export function listApiKeys(signal?: AbortSignal): Promise<ApiKey[]> {
  return data(http.get<ApiKey[]>('/api-keys', { signal }))
}

export function createApiKey(body: ApiKeyCreate): Promise<ApiKeyWithToken> {
  return data(http.post<ApiKeyWithToken>('/api-keys', body))
}

export function updateApiKey(id: string, body: ApiKeyUpdate): Promise<ApiKey> {
  return data(http.put<ApiKey>(`/api-keys/${encodeURIComponent(id)}`, body))
}

export async function deleteApiKey(id: string): Promise<void> {
  await http.delete<unknown>(`/api-keys/${encodeURIComponent(id)}`)
}

export const METRICS_SETTING = 'metrics_enabled'

/** Whether /metrics is on (an absent setting means off). */
export async function getMetricsEnabled(signal?: AbortSignal): Promise<boolean> {
  try {
    const setting = await data(http.get<{ value: string }>(`/settings/key/${METRICS_SETTING}`, { signal }))
    return setting.value.trim() === 'true'
  } catch (error) {
    if (typeof error === 'object' && error !== null && 'status' in error && error.status === 404) return false
    throw error
  }
}

export async function setMetricsEnabled(enabled: boolean): Promise<boolean> {
  await http.put<unknown>(`/settings/key/${METRICS_SETTING}`, { value: String(enabled), type: 'bool' })
  return enabled
}
