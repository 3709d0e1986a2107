/** Formatting of times, durations and percentages for display. */
import { t } from '@/i18n'

const dateTime = new Intl.DateTimeFormat(undefined, {
  year: 'numeric',
  month: 'short',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
})

export function formatDateTime(value: string | number | Date | null | undefined): string {
  if (value === null || value === undefined || value === '') return '—'
  const date = value instanceof Date ? value : new Date(value)
  return Number.isNaN(date.getTime()) ? '—' : dateTime.format(date)
}

export function formatPing(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return '—'
  if (ms >= 1000) return `${(ms / 1000).toFixed(2)} s`
  return `${ms < 10 ? ms.toFixed(1) : Math.round(ms)} ms`
}

export function formatPercent(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '—'
  if (value >= 100) return '100%'
  return `${value.toFixed(2)}%`
}

/** "5 s", "2 min", "3 h", "4 d" from seconds. */
export function formatSeconds(seconds: number): string {
  if (seconds < 60) return `${seconds} s`
  if (seconds < 3600) return `${Math.round(seconds / 60)} min`
  if (seconds < 86400) return `${Math.round(seconds / 3600)} h`
  return `${Math.round(seconds / 86400)} d`
}

export function relativeTime(value: string | number | Date, now: number = Date.now()): string {
  const at = new Date(value).getTime()
  if (Number.isNaN(at)) return '—'
  const diff = Math.max(0, Math.round((now - at) / 1000))
  if (diff < 5) return t('common.justNow')
  return t('common.ago', { time: formatSeconds(diff) })
}
