/** /maintenances: windows during which monitors are not checked. Query keys live here too. */
import { data, http } from './client'
import type { Maintenance, MaintenanceCreate, MaintenancePreview } from './types'

export const maintenanceKeys = {
  all: ['maintenances'] as const,
  list: () => ['maintenances', 'list'] as const,
  detail: (id: string) => ['maintenances', 'detail', id] as const,
}

export function listMaintenances(signal?: AbortSignal): Promise<Maintenance[]> {
  return data(http.get<Maintenance[]>('/maintenances', { query: { limit: 1000, page: 0 }, signal })).then((items) => items ?? [])
}

export function getMaintenance(id: string, signal?: AbortSignal): Promise<Maintenance> {
  return data(http.get<Maintenance>(`/maintenances/${encodeURIComponent(id)}`, { signal }))
}

export function createMaintenance(body: MaintenanceCreate): Promise<Maintenance> {
  return data(http.post<Maintenance>('/maintenances', body))
}

export function updateMaintenance(id: string, body: MaintenanceCreate): Promise<Maintenance> {
  return data(http.put<Maintenance>(`/maintenances/${encodeURIComponent(id)}`, body))
}

export function previewMaintenance(body: MaintenanceCreate, signal?: AbortSignal): Promise<MaintenancePreview> {
  return data(http.post<MaintenancePreview>('/maintenances/preview', body, { signal }))
}

export function setMaintenancePaused(id: string, paused: boolean): Promise<Maintenance> {
  return data(http.patch<Maintenance>(`/maintenances/${encodeURIComponent(id)}/${paused ? 'pause' : 'resume'}`, {}))
}

export async function deleteMaintenance(id: string): Promise<void> {
  await http.delete<unknown>(`/maintenances/${encodeURIComponent(id)}`)
}
