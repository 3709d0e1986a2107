/** /backup: download a backup of every object and restore one; the snapshot schedule and data
 * retention settings shown next to it. Query keys live here too. */
import { data, http } from './client'

export const backupKeys = {
  settings: () => ['settings', 'backup'] as const,
}

export const INTERVAL_SETTING = 'backup_interval_hours'
export const KEEP_SETTING = 'backup_keep'
export const RETENTION_SETTING = 'KEEP_DATA_PERIOD_DAYS'

export interface ImportSummary {
  monitors: number
  proxies: number
  maintenances: number
  status_pages: number
  heartbeats: number
  deleted_monitors: number
}

/** The backup document as the server wrote it (not unwrapped: it has no envelope). */
export async function exportBackup(history: boolean): Promise<unknown> {
  return (await http.get<unknown>('/backup/export', { query: { history } })) as unknown
}

export function importBackup(backup: unknown, replace: boolean): Promise<ImportSummary> {
  return data(http.post<ImportSummary>('/backup/import', backup, { query: { replace } }))
}

/** A setting's value, or undefined when it was never set. */
async function settingValue(key: string, signal?: AbortSignal): Promise<string | undefined> {
  try {
    return (await data(http.get<{ value: string }>(`/settings/key/${key}`, { signal }))).value
  } catch (error) {
    if (typeof error === 'object' && error !== null && 'status' in error && error.status === 404) return undefined
    throw error
  }
}

export interface BackupSettings {
  intervalHours: string | undefined
  keep: string | undefined
  retentionDays: string | undefined
}

export async function getBackupSettings(signal?: AbortSignal): Promise<BackupSettings> {
  const [intervalHours, keep, retentionDays] = await Promise.all([
    settingValue(INTERVAL_SETTING, signal),
    settingValue(KEEP_SETTING, signal),
    settingValue(RETENTION_SETTING, signal),
  ])
  return { intervalHours, keep, retentionDays }
}

export async function putIntSetting(key: string, value: number): Promise<void> {
  await http.put<unknown>(`/settings/key/${key}`, { value: String(value), type: 'int' })
}
