/** /import: importing from other tools (Uptime Kuma). */
import { data, http } from './client'
import { importQuery, type ImportReport } from '@/import/report'

/** Uploads a kuma.db or Kuma JSON backup as the raw body; returns the import report. */
export function importFromKuma(file: Blob, dryRun: boolean, withHistory: boolean): Promise<ImportReport> {
  return data(http.post<ImportReport>('/import/uptime-kuma', undefined, { raw: file, query: importQuery(dryRun, withHistory) }))
}
