/** Pure logic of the Backup card: the schedule form, the backup file name, reading a file. */

export const DEFAULT_INTERVAL_HOURS = 24
export const DEFAULT_KEEP = 7
export const DEFAULT_RETENTION_DAYS = 365

export interface ScheduleForm {
  intervalHours: string
  keep: string
  retentionDays: string
}

export type ScheduleErrors = Partial<Record<keyof ScheduleForm, 'wholeNumber' | 'range'>>

export interface ScheduleValues {
  intervalHours: number
  keep: number
  retentionDays: number
}

/** The form as stored settings fill it (defaults for settings never set). */
export function formFromSettings(s: { intervalHours?: string; keep?: string; retentionDays?: string }): ScheduleForm {
  return {
    intervalHours: s.intervalHours?.trim() || String(DEFAULT_INTERVAL_HOURS),
    keep: s.keep?.trim() || String(DEFAULT_KEEP),
    retentionDays: s.retentionDays?.trim() || String(DEFAULT_RETENTION_DAYS),
  }
}

const LIMITS: Record<keyof ScheduleForm, [number, number]> = {
  intervalHours: [0, 8760],
  keep: [1, 1000],
  retentionDays: [1, 36500],
}

/** Checks the form with the server's bounds; whole numbers only. */
export function scheduleValues(form: ScheduleForm): { values: ScheduleValues } | { errors: ScheduleErrors } {
  const errors: ScheduleErrors = {}
  const values = {} as ScheduleValues
  for (const key of Object.keys(LIMITS) as (keyof ScheduleForm)[]) {
    const raw = form[key].trim()
    if (!/^\d+$/.test(raw)) {
      errors[key] = 'wholeNumber'
      continue
    }
    const n = Number(raw)
    const [lo, hi] = LIMITS[key]
    if (n < lo || n > hi) errors[key] = 'range'
    else values[key] = n
  }
  return Object.keys(errors).length ? { errors } : { values }
}

/** `peekaping-backup-2025-01-31T10-00-00Z.json` (with `-history` when it carries history). */
export function backupFileName(now: Date, history: boolean): string {
  const stamp = now.toISOString().replace(/\.\d+Z$/, 'Z').replace(/:/g, '-')
  return `peekaping-backup-${stamp}${history ? '-history' : ''}.json`
}

/** Parses a chosen backup file; `null` when it is not JSON or not a Peekaping backup. */
export function parseBackupFile(text: string): unknown {
  try {
    const value: unknown = JSON.parse(text)
    if (typeof value === 'object' && value !== null && (value as { format?: unknown }).format === 'peekaping-backup') {
      return value
    }
  } catch {
    // fall through
  }
  return null
}
