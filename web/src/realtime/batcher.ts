/**
 * Collects realtime events and hands them over in one batch per window (200 ms by default), so
 * a burst of heartbeats from thousands of monitors costs one React update instead of thousands.
 */

export interface Batcher<T> {
  push(item: T): void
  /** Delivers whatever is pending now. */
  flush(): void
  dispose(): void
  readonly pending: number
}

export interface BatcherOptions<T> {
  onFlush: (items: T[]) => void
  /** Window length in ms (default 200). */
  delayMs?: number
  /** Upper bound of queued items; beyond it the oldest are dropped (default 20,000). */
  maxPending?: number
  /** Timer used to schedule the flush; tests inject fake timers through vitest instead. */
  setTimer?: (callback: () => void, ms: number) => unknown
  clearTimer?: (handle: unknown) => void
}

export function createBatcher<T>(options: BatcherOptions<T>): Batcher<T> {
  const delay = options.delayMs ?? 200
  const maxPending = options.maxPending ?? 20_000
  const setTimer = options.setTimer ?? ((cb, ms) => setTimeout(cb, ms))
  const clearTimer = options.clearTimer ?? ((handle) => clearTimeout(handle as ReturnType<typeof setTimeout>))
  let queue: T[] = []
  let timer: unknown = null
  let disposed = false

  const flush = () => {
    if (timer !== null) {
      clearTimer(timer)
      timer = null
    }
    if (queue.length === 0) return
    const items = queue
    queue = []
    options.onFlush(items)
  }

  return {
    push(item) {
      if (disposed) return
      queue.push(item)
      if (queue.length > maxPending) queue.splice(0, queue.length - maxPending)
      if (timer === null) timer = setTimer(flush, delay)
    },
    flush,
    dispose() {
      disposed = true
      if (timer !== null) clearTimer(timer)
      timer = null
      queue = []
    },
    get pending() {
      return queue.length
    },
  }
}
