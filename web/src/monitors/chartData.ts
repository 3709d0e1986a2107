/**
 * Turns stat buckets (and, for minute ranges, live beats newer than the last bucket) into the
 * column arrays uPlot draws. Kept free of uPlot so it can be unit-tested and stays out of the
 * initial bundle either way.
 */
import type { Granularity, StatPoint } from '@/api/types'
import type { Beat } from './live'

export type RangeKey = '30m' | '3h' | '6h' | '24h' | '7d' | '30d' | '1y'

export const RANGES: readonly { key: RangeKey; ms: number; granularity: Granularity }[] = [
  { key: '30m', ms: 30 * 60_000, granularity: 'minute' },
  { key: '3h', ms: 3 * 3_600_000, granularity: 'minute' },
  { key: '6h', ms: 6 * 3_600_000, granularity: 'minute' },
  { key: '24h', ms: 24 * 3_600_000, granularity: 'hour' },
  { key: '7d', ms: 7 * 86_400_000, granularity: 'hour' },
  { key: '30d', ms: 30 * 86_400_000, granularity: 'day' },
  { key: '1y', ms: 365 * 86_400_000, granularity: 'day' },
]

export const BUCKET_MS: Record<Granularity, number> = { minute: 60_000, hour: 3_600_000, day: 86_400_000 }

export interface ChartSeries {
  /** Unix seconds (uPlot's time unit). */
  x: number[]
  ping: (number | null)[]
  pingMin: (number | null)[]
  pingMax: (number | null)[]
  /** Width in seconds of each sample, for shading down periods. */
  width: number[]
  down: boolean[]
  maintenance: boolean[]
}

export function buildChartSeries(points: readonly StatPoint[], granularity: Granularity, liveBeats: readonly Beat[] = [], beatWidthSec = 60): ChartSeries {
  const series: ChartSeries = { x: [], ping: [], pingMin: [], pingMax: [], width: [], down: [], maintenance: [] }
  const bucketSec = BUCKET_MS[granularity] / 1000
  const sorted = [...points].sort((a, b) => a.timestamp - b.timestamp)
  for (const point of sorted) {
    const ping = point.ping ?? null
    const hasUp = point.up > 0 && ping !== null
    series.x.push(Math.floor(point.timestamp / 1000))
    series.ping.push(hasUp ? ping : null)
    series.pingMin.push(hasUp ? (point.ping_min ?? ping) : null)
    series.pingMax.push(hasUp ? (point.ping_max ?? ping) : null)
    series.width.push(bucketSec)
    series.down.push(point.down > 0)
    series.maintenance.push(point.maintenance > 0 && point.down === 0)
  }
  // Live beats extend the chart past the last (still filling) bucket.
  const lastBucket = sorted[sorted.length - 1]
  const after = lastBucket ? lastBucket.timestamp + BUCKET_MS[granularity] : -Infinity
  for (const beat of liveBeats) {
    if (!(beat.time >= after)) continue
    const up = beat.status === 1
    series.x.push(Math.floor(beat.time / 1000))
    series.ping.push(up ? beat.ping : null)
    series.pingMin.push(up ? beat.ping : null)
    series.pingMax.push(up ? beat.ping : null)
    series.width.push(beatWidthSec)
    series.down.push(beat.status === 0)
    series.maintenance.push(beat.status === 3)
  }
  return series
}

export function seriesIsEmpty(series: ChartSeries): boolean {
  return series.x.length === 0
}
