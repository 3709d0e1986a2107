/** The Uptime Kuma import report, shaped for display. */

import type { components } from '@/api/schema'

type Schemas = components['schemas']
export type ReportEntry = Schemas['ReportEntry']
export type ImportCounts = Schemas['ImportCounts']
export type ImportReport = Schemas['ImportReport']

/** Entries grouped by kind, kinds in a fixed order (monitors first), names sorted within. */
export function groupByKind(entries: ReportEntry[]): Array<{ kind: string; entries: ReportEntry[] }> {
  const order = ['monitor', 'notification', 'tag', 'proxy', 'status_page', 'maintenance', 'incident', 'heartbeat']
  const groups = new Map<string, ReportEntry[]>()
  for (const e of entries) {
    const list = groups.get(e.kind) ?? []
    list.push(e)
    groups.set(e.kind, list)
  }
  const rank = (k: string) => {
    const i = order.indexOf(k)
    return i === -1 ? order.length : i
  }
  return [...groups.entries()]
    .sort(([a], [b]) => rank(a) - rank(b) || a.localeCompare(b))
    .map(([kind, list]) => ({ kind, entries: [...list].sort((a, b) => a.name.localeCompare(b.name)) }))
}

/** The query of `POST /import/uptime-kuma`. */
export function importQuery(dryRun: boolean, withHistory: boolean): Record<string, boolean | undefined> {
  return { dry_run: dryRun || undefined, with_history: withHistory || undefined }
}
