/**
 * The maintenance form's state ("draft"): one flat record holding every strategy's fields, so
 * switching strategy keeps what was typed. `maintenanceBody` sends only the fields the chosen
 * strategy uses; `validateMaintenance` checks what the server would reject, by field name.
 */
import type { Maintenance, MaintenanceCreate } from '@/api/types'
import type { MessageKey } from '@/i18n'

export const STRATEGIES = [
  'manual',
  'single',
  'recurring-weekday',
  'recurring-day-of-month',
  'recurring-interval',
  'cron',
] as const
export type Strategy = (typeof STRATEGIES)[number]

/** Labels of 0 (Sunday) … 6 (Saturday). */
export const WEEKDAY_KEYS: MessageKey[] = [
  'maintenanceForm.day.sun',
  'maintenanceForm.day.mon',
  'maintenanceForm.day.tue',
  'maintenanceForm.day.wed',
  'maintenanceForm.day.thu',
  'maintenanceForm.day.fri',
  'maintenanceForm.day.sat',
]

/** A day of the month: 1–31, or `lastDay1` for the last day of the month. */
export type MonthDay = number | 'lastDay1'

export interface MaintenanceDraft {
  title: string
  description: string
  active: boolean
  strategy: Strategy
  timezone: string
  /** `YYYY-MM-DDTHH:mm` (what `<input type="datetime-local">` gives). */
  start_date_time: string
  end_date_time: string
  /** `HH:mm`. */
  start_time: string
  end_time: string
  weekdays: number[]
  days_of_month: MonthDay[]
  interval_day: number
  cron: string
  /** Minutes. */
  duration: number
  monitor_ids: string[]
}

export type FieldErrors = Partial<Record<string, string>>

/** The browser's own zone, the default of a new maintenance. */
export function localTimeZone(): string {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC'
  } catch {
    return 'UTC'
  }
}

/** Every IANA zone the browser knows (UTC first), for the picker. */
export function timeZones(): string[] {
  const intl = Intl as unknown as { supportedValuesOf?: (key: string) => string[] }
  const zones = intl.supportedValuesOf?.('timeZone') ?? []
  return ['UTC', ...zones.filter((z) => z !== 'UTC')]
}

export function newMaintenanceDraft(timezone: string = localTimeZone()): MaintenanceDraft {
  return {
    title: '',
    description: '',
    active: true,
    strategy: 'manual',
    timezone,
    start_date_time: '',
    end_date_time: '',
    start_time: '02:00',
    end_time: '03:00',
    weekdays: [],
    days_of_month: [],
    interval_day: 1,
    cron: '0 3 * * *',
    duration: 60,
    monitor_ids: [],
  }
}

function isStrategy(s: string): s is Strategy {
  return (STRATEGIES as readonly string[]).includes(s)
}

export function draftFromMaintenance(m: Maintenance): MaintenanceDraft {
  const base = newMaintenanceDraft(m.timezone)
  return {
    ...base,
    title: m.title,
    description: m.description,
    active: m.active,
    strategy: isStrategy(m.strategy) ? m.strategy : 'manual',
    start_date_time: m.start_date_time ?? '',
    end_date_time: m.end_date_time ?? '',
    start_time: m.start_time ?? base.start_time,
    end_time: m.end_time ?? base.end_time,
    weekdays: [...m.weekdays],
    days_of_month: m.days_of_month.map((d) => (d === 'lastDay1' ? 'lastDay1' : Number(d))).filter((d) => d === 'lastDay1' || Number.isInteger(d)),
    interval_day: m.interval_day ?? base.interval_day,
    cron: m.cron ?? base.cron,
    duration: m.duration ?? base.duration,
    monitor_ids: [...m.monitor_ids],
  }
}

const RECURRING: Strategy[] = ['recurring-weekday', 'recurring-day-of-month', 'recurring-interval']

/** Which fields the strategy's sub-form shows. */
export function fieldsOf(strategy: Strategy): Set<keyof MaintenanceDraft> {
  const f = new Set<keyof MaintenanceDraft>()
  if (strategy === 'manual') return f
  if (strategy === 'single') return new Set(['start_date_time', 'end_date_time'])
  f.add('start_date_time').add('end_date_time') // the date range of cron and recurring strategies
  if (strategy === 'cron') f.add('cron').add('duration')
  if (RECURRING.includes(strategy)) f.add('start_time').add('end_time')
  if (strategy === 'recurring-weekday') f.add('weekdays')
  if (strategy === 'recurring-day-of-month') f.add('days_of_month')
  if (strategy === 'recurring-interval') f.add('interval_day')
  return f
}

/** The API body: only what the chosen strategy uses (empty range ends left out). */
export function maintenanceBody(d: MaintenanceDraft): MaintenanceCreate {
  const f = fieldsOf(d.strategy)
  const text = (k: 'start_date_time' | 'end_date_time' | 'start_time' | 'end_time') =>
    f.has(k) && d[k].trim() ? { [k]: d[k].trim() } : {}
  return {
    title: d.title.trim(),
    description: d.description,
    active: d.active,
    strategy: d.strategy,
    timezone: d.timezone,
    monitor_ids: d.monitor_ids,
    ...text('start_date_time'),
    ...text('end_date_time'),
    ...text('start_time'),
    ...text('end_time'),
    ...(f.has('weekdays') ? { weekdays: [...d.weekdays].sort((a, b) => a - b) } : {}),
    ...(f.has('days_of_month') ? { days_of_month: d.days_of_month } : {}),
    ...(f.has('interval_day') ? { interval_day: d.interval_day } : {}),
    ...(f.has('cron') ? { cron: d.cron.trim() } : {}),
    ...(f.has('duration') ? { duration: d.duration } : {}),
  }
}

const TIME = /^([01]\d|2[0-3]):[0-5]\d$/
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T([01]\d|2[0-3]):[0-5]\d(:[0-5]\d)?$/

/** Client-side checks mirroring the server's; keys are the API's field names. */
export function validateMaintenance(d: MaintenanceDraft): FieldErrors {
  const e: FieldErrors = {}
  const f = fieldsOf(d.strategy)
  if (!d.title.trim()) e.title = 'Enter a title.'
  else if (d.title.trim().length > 150) e.title = 'At most 150 characters.'
  if (!d.timezone) e.timezone = 'Choose a time zone.'
  for (const k of ['start_date_time', 'end_date_time'] as const) {
    if (f.has(k) && d[k] && !DATE_TIME.test(d[k])) e[k] = 'Enter a date and time.'
  }
  if (d.strategy === 'single') {
    if (!d.start_date_time) e.start_date_time = 'Required for a single window.'
    if (!d.end_date_time) e.end_date_time = 'Required for a single window.'
  }
  if (d.strategy === 'recurring-interval' && !d.start_date_time) e.start_date_time = 'Required: days are counted from it.'
  if (!e.start_date_time && !e.end_date_time && f.has('end_date_time') && d.start_date_time && d.end_date_time && d.end_date_time <= d.start_date_time)
    e.end_date_time = 'Must be after the start.'
  if (f.has('start_time')) {
    if (!TIME.test(d.start_time)) e.start_time = 'Enter a time like 22:30.'
    if (!TIME.test(d.end_time)) e.end_time = 'Enter a time like 22:30.'
    else if (d.end_time === d.start_time) e.end_time = 'Must differ from the start time.'
  }
  if (f.has('weekdays') && d.weekdays.length === 0) e.weekdays = 'Choose at least one day.'
  if (f.has('days_of_month') && d.days_of_month.length === 0) e.days_of_month = 'Choose at least one day.'
  if (f.has('interval_day') && !(Number.isInteger(d.interval_day) && d.interval_day >= 1 && d.interval_day <= 3650))
    e.interval_day = 'Between 1 and 3650 days.'
  if (f.has('cron') && d.cron.trim().split(/\s+/).length < 5) e.cron = 'Enter a cron expression like 0 3 * * *.'
  if (f.has('duration') && !(Number.isInteger(d.duration) && d.duration >= 1 && d.duration <= 10080))
    e.duration = 'Between 1 and 10080 minutes.'
  return e
}

/** Whether the daily window ends the next day (an end time before the start time). */
export function crossesMidnight(d: Pick<MaintenanceDraft, 'start_time' | 'end_time'>): boolean {
  return TIME.test(d.start_time) && TIME.test(d.end_time) && d.end_time < d.start_time
}

/** Adds or removes one value of a list, keeping the rest in order. */
export function toggled<T>(list: T[], value: T, on: boolean): T[] {
  const rest = list.filter((v) => v !== value)
  return on ? [...rest, value] : rest
}
