import { memo } from 'react'
import { t } from '@/i18n'
import { cn } from '@/lib/cn'
import { formatDateTime, formatPing } from '@/lib/time'
import type { Beat } from '@/monitors/live'
import { STATUS_BG, statusLabel, statusName } from '@/monitors/status'

interface HeartbeatBarProps {
  beats: readonly Beat[]
  /** Number of slots drawn; empty ones are placeholders, so the bar never changes size. */
  slots?: number
  size?: 'sm' | 'md'
  className?: string
}

/**
 * The newest `slots` beats, oldest on the left. On narrow screens the container clips from the
 * left, so the most recent checks stay visible.
 */
export const HeartbeatBar = memo(function HeartbeatBar({ beats, slots = 30, size = 'sm', className }: HeartbeatBarProps) {
  const shown = beats.slice(-slots)
  const padding = slots - shown.length
  const up = shown.filter((beat) => beat.status === 1).length
  const down = shown.filter((beat) => beat.status === 0).length
  const label = shown.length === 0 ? t('heartbeat.empty') : t('heartbeat.bar', { count: shown.length, up, down })
  const cell = size === 'sm' ? 'h-5 w-1.5' : 'h-8 w-2 sm:w-2.5'
  return (
    <div role="img" aria-label={label} className={cn('flex justify-end gap-0.5 overflow-hidden', className)}>
      {Array.from({ length: padding }, (_, index) => (
        <span key={`empty-${index}`} className={cn('shrink-0 rounded-sm', cell, STATUS_BG.unknown)} />
      ))}
      {shown.map((beat) => {
        const status = statusName(beat.status)
        return (
          <span
            key={beat.id}
            data-status={status}
            title={`${t('heartbeat.tooltip', {
              status: statusLabel(status),
              time: formatDateTime(beat.time),
              ping: formatPing(beat.ping),
            })}${beat.msg ? `\n${beat.msg}` : ''}`}
            className={cn('shrink-0 rounded-sm', cell, STATUS_BG[status])}
          />
        )
      })}
    </div>
  )
})
