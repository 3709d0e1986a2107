/** /status-pages and /incidents: the admin side of public status pages. Query keys live here too. */
import { data, http } from './client'
import type { Incident, IncidentCreate, IncidentUpdateCreate, StatusPage, StatusPageCreate, StatusPagePatch } from './types'

export const statusPageKeys = {
  all: ['status-pages'] as const,
  list: () => ['status-pages', 'list'] as const,
  detail: (id: string) => ['status-pages', 'detail', id] as const,
  incidents: (id: string) => ['status-pages', 'detail', id, 'incidents'] as const,
}

/** Every page (a deployment has a handful; the server caps a page at 1000). */
export function listStatusPages(signal?: AbortSignal): Promise<StatusPage[]> {
  return data(http.get<StatusPage[]>('/status-pages', { query: { limit: 1000, page: 0 }, signal })).then((items) => items ?? [])
}

export function getStatusPage(id: string, signal?: AbortSignal): Promise<StatusPage> {
  return data(http.get<StatusPage>(`/status-pages/${encodeURIComponent(id)}`, { signal }))
}

export function createStatusPage(body: StatusPageCreate): Promise<StatusPage> {
  return data(http.post<StatusPage>('/status-pages', body))
}

export function patchStatusPage(id: string, body: StatusPagePatch): Promise<StatusPage> {
  return data(http.patch<StatusPage>(`/status-pages/${encodeURIComponent(id)}`, body))
}

export async function deleteStatusPage(id: string): Promise<void> {
  await http.delete<unknown>(`/status-pages/${encodeURIComponent(id)}`)
}

export function listIncidents(pageId: string, signal?: AbortSignal): Promise<Incident[]> {
  return data(http.get<Incident[]>(`/status-pages/${encodeURIComponent(pageId)}/incidents`, { signal })).then((items) => items ?? [])
}

export function createIncident(pageId: string, body: IncidentCreate): Promise<Incident> {
  return data(http.post<Incident>(`/status-pages/${encodeURIComponent(pageId)}/incidents`, body))
}

export function postIncidentUpdate(id: string, body: IncidentUpdateCreate): Promise<Incident> {
  return data(http.post<Incident>(`/incidents/${encodeURIComponent(id)}/updates`, body))
}

export async function deleteIncident(id: string): Promise<void> {
  await http.delete<unknown>(`/incidents/${encodeURIComponent(id)}`)
}

/** Where the server renders a page for visitors. */
export function publicPageUrl(slug: string): string {
  return `/status/${encodeURIComponent(slug)}`
}
