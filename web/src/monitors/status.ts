/** How a monitor's numeric status and `active` flag are named and coloured in the UI. */
import type { MonitorStatus } from '@/api/types'
import { t, type MessageKey } from '@/i18n'

export type DisplayStatus = 'up' | 'down' | 'pending' | 'maintenance' | 'paused' | 'unknown'

const STATUS_NAMES: Record<MonitorStatus, Exclude<DisplayStatus, 'paused' | 'unknown'>> = {
  0: 'down',
  1: 'up',
  2: 'pending',
  3: 'maintenance',
}

/** The name of a status number from the API; anything outside 0–3 is "unknown". */
export function statusName(status: number | null | undefined): DisplayStatus {
  if (status === null || status === undefined) return 'unknown'
  return STATUS_NAMES[status as MonitorStatus] ?? 'unknown'
}

export function displayStatus(active: boolean, status: number | null | undefined): DisplayStatus {
  return active ? statusName(status) : 'paused'
}

export function statusLabel(status: DisplayStatus): string {
  return t(`status.${status}` as MessageKey)
}

/** Background utility per status (bars, dots). */
export const STATUS_BG: Record<DisplayStatus, string> = {
  up: 'bg-status-up',
  down: 'bg-status-down',
  pending: 'bg-status-pending',
  maintenance: 'bg-status-maintenance',
  paused: 'bg-status-paused',
  unknown: 'bg-status-empty',
}

export const STATUS_BADGE: Record<DisplayStatus, string> = {
  up: 'border-status-up/40 bg-status-up/15 text-status-up',
  down: 'border-status-down/40 bg-status-down/15 text-status-down',
  pending: 'border-status-pending/50 bg-status-pending/15 text-status-pending',
  maintenance: 'border-status-maintenance/40 bg-status-maintenance/15 text-status-maintenance',
  paused: 'border-status-paused/40 bg-status-paused/15 text-muted-foreground',
  unknown: 'text-muted-foreground',
}

/** Filter options of the list, in the order shown. */
export const STATUS_FILTERS: readonly { value: MonitorStatus; key: DisplayStatus }[] = [
  { value: 1, key: 'up' },
  { value: 0, key: 'down' },
  { value: 2, key: 'pending' },
  { value: 3, key: 'maintenance' },
]
