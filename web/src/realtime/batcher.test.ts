import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { Heartbeat } from '@/api/types'
import { applyEvents, clearLive, getLive, MAX_BEATS, mergeBeats, onLiveChange, seedBeats, toBeat } from '@/monitors/live'
import { createBatcher } from './batcher'

function beat(monitor: string, n: number, status: 0 | 1 = 1): Heartbeat {
  return {
    id: `${monitor}-${n}`, monitor_id: monitor, status, msg: '', ping: n, duration: 0, down_count: 0, retries: 0,
    important: false, notified: false, time: new Date(Date.UTC(2026, 0, 1, 0, 0, n)).toISOString(), end_time: '',
  }
}

describe('createBatcher', () => {
  beforeEach(() => vi.useFakeTimers())
  afterEach(() => vi.useRealTimers())

  it('delivers a burst as one batch after the window', () => {
    const onFlush = vi.fn()
    const batcher = createBatcher<number>({ onFlush, delayMs: 200 })
    for (let i = 0; i < 1000; i++) batcher.push(i)
    expect(onFlush).not.toHaveBeenCalled()
    vi.advanceTimersByTime(199)
    expect(onFlush).not.toHaveBeenCalled()
    vi.advanceTimersByTime(1)
    expect(onFlush).toHaveBeenCalledTimes(1)
    expect(onFlush.mock.calls[0]![0]).toHaveLength(1000)
  })

  it('starts a new window for events after a flush and never flushes empty', () => {
    const onFlush = vi.fn()
    const batcher = createBatcher<string>({ onFlush })
    vi.advanceTimersByTime(1000)
    expect(onFlush).not.toHaveBeenCalled()
    batcher.push('a')
    vi.advanceTimersByTime(200)
    batcher.push('b')
    batcher.push('c')
    vi.advanceTimersByTime(200)
    expect(onFlush.mock.calls).toEqual([[['a']], [['b', 'c']]])
  })

  it('bounds the queue and drops everything on dispose', () => {
    const onFlush = vi.fn()
    const batcher = createBatcher<number>({ onFlush, maxPending: 3 })
    for (let i = 0; i < 10; i++) batcher.push(i)
    expect(batcher.pending).toBe(3)
    batcher.flush()
    expect(onFlush).toHaveBeenCalledWith([7, 8, 9])
    batcher.push(1)
    batcher.dispose()
    vi.advanceTimersByTime(500)
    expect(onFlush).toHaveBeenCalledTimes(1)
  })
})

describe('live store', () => {
  beforeEach(() => clearLive())

  it('applies a batch with one notification per changed monitor', () => {
    seedBeats('a', [beat('a', 1)])
    seedBeats('b', [])
    const changes: string[][] = []
    const off = onLiveChange((ids) => changes.push([...ids].sort()))
    applyEvents([
      { kind: 'beat', heartbeat: beat('a', 2) },
      { kind: 'beat', heartbeat: beat('a', 3, 0) },
      { kind: 'beat', heartbeat: beat('b', 2) },
    ])
    off()
    expect(changes).toEqual([['a', 'b']])
    expect(getLive('a').beats.map((b) => b.id)).toEqual(['a-1', 'a-2', 'a-3'])
    expect(getLive('a').status).toBe(0)
  })

  it('keeps only the status of monitors nobody is showing', () => {
    applyEvents([{ kind: 'beat', heartbeat: beat('z', 1, 0) }])
    expect(getLive('z').status).toBe(0)
    expect(getLive('z').beats).toHaveLength(0)
  })

  it('applies status events and skips no-op updates', () => {
    seedBeats('s', [beat('s', 1)])
    const version = getLive('s').version
    expect(applyEvents([{ kind: 'status', event: { monitor_id: 's', status: 1, previous_status: 0 } }]).size).toBe(0)
    expect(getLive('s').version).toBe(version)
    applyEvents([{ kind: 'status', event: { monitor_id: 's', status: 3, previous_status: 1 } }])
    expect(getLive('s').status).toBe(3)
  })

  it('merges out-of-order and duplicate beats, capped at MAX_BEATS', () => {
    const existing = [beat('m', 5), beat('m', 6)].map(toBeat)
    const merged = mergeBeats(existing, [beat('m', 4), beat('m', 6), beat('m', 7)].map(toBeat))
    expect(merged.map((b) => b.id)).toEqual(['m-4', 'm-5', 'm-6', 'm-7'])
    const many = Array.from({ length: MAX_BEATS + 20 }, (_, i) => toBeat(beat('m', i)))
    const capped = mergeBeats([], many)
    expect(capped).toHaveLength(MAX_BEATS)
    expect(capped[capped.length - 1]!.id).toBe(`m-${MAX_BEATS + 19}`)
  })
})
