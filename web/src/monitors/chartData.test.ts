import { describe, expect, it } from 'vitest'
import type { StatPoint } from '@/api/types'
import { buildChartSeries } from './chartData'
import type { Beat } from './live'

const point = (minute: number, up: number, down: number, ping?: number): StatPoint => ({
  timestamp: minute * 60_000, up, down, maintenance: 0, ping, ping_min: ping, ping_max: ping,
})
const beat = (second: number, status: 0 | 1, ping: number | null): Beat => ({
  id: String(second), status, ping, time: second * 1000, msg: '', important: false,
})

describe('buildChartSeries', () => {
  it('converts buckets to seconds, leaves gaps where nothing was up and flags down buckets', () => {
    const series = buildChartSeries([point(2, 0, 3), point(1, 5, 0, 12.5)], 'minute')
    expect(series.x).toEqual([60, 120])
    expect(series.ping).toEqual([12.5, null])
    expect(series.down).toEqual([false, true])
    expect(series.width).toEqual([60, 60])
  })

  it('extends the last bucket with live beats that are newer than it', () => {
    const series = buildChartSeries([point(1, 1, 0, 10)], 'minute', [beat(90, 1, 99), beat(121, 1, 20), beat(125, 0, 5)], 2)
    expect(series.x).toEqual([60, 121, 125])
    expect(series.ping).toEqual([10, 20, null])
    expect(series.down).toEqual([false, false, true])
    expect(series.width.slice(1)).toEqual([2, 2])
  })

  it('draws live beats alone when there are no buckets yet', () => {
    expect(buildChartSeries([], 'minute', [beat(5, 1, 3)]).x).toEqual([5])
  })
})
