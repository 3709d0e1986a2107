/**
 * Live per-monitor state fed by the socket: the latest beats (for heartbeat bars and the chart)
 * and the current status. Events go through one 200 ms batcher; each flush touches only the
 * monitors that changed and wakes only the rows subscribed to them, so 10,000 monitors beating
 * at once do not re-render the list. Beats are kept only for monitors someone has seeded (a
 * loaded list page or an open detail page); for the rest just the status is remembered.
 */
import { useSyncExternalStore } from 'react'
import type { Heartbeat, MonitorStatusEvent } from '@/api/types'
import { createBatcher } from '@/realtime/batcher'

/** The part of a heartbeat the UI draws; smaller than the wire object. */
export interface Beat {
  id: string
  /** 0 DOWN, 1 UP, 2 PENDING, 3 MAINTENANCE. */
  status: number
  ping: number | null
  /** Unix ms. */
  time: number
  msg: string
  important: boolean
}

export interface LiveEntry {
  beats: readonly Beat[]
  status: number | null
  /** Bumped on every change, handy as an effect dependency. */
  version: number
}

export const MAX_BEATS = 60
const EMPTY: LiveEntry = { beats: [], status: null, version: 0 }

const entries = new Map<string, LiveEntry>()
const tracked = new Set<string>()
const listeners = new Map<string, Set<() => void>>()
const anyListeners = new Set<(changed: ReadonlySet<string>) => void>()

export function toBeat(hb: Heartbeat): Beat {
  return {
    // (monitor, time) identifies a beat too, should a server omit the id.
    id: hb.id !== undefined && hb.id !== null ? String(hb.id) : `${hb.monitor_id}@${hb.time}`,
    status: hb.status,
    ping: typeof hb.ping === 'number' && Number.isFinite(hb.ping) ? hb.ping : null,
    time: Date.parse(hb.time),
    msg: hb.msg ?? '',
    important: Boolean(hb.important),
  }
}

/** Merges beats into a sorted (oldest → newest), de-duplicated list capped at MAX_BEATS. */
export function mergeBeats(existing: readonly Beat[], incoming: readonly Beat[], max = MAX_BEATS): Beat[] {
  if (incoming.length === 0) return existing.slice(-max)
  const last = existing[existing.length - 1]
  const sortedIncoming = [...incoming].sort((a, b) => a.time - b.time)
  const first = sortedIncoming[0]!
  let merged: Beat[]
  if (!last || first.time > last.time) {
    merged = existing.concat(sortedIncoming)
  } else {
    const byId = new Map<string, Beat>()
    for (const beat of existing) byId.set(beat.id, beat)
    for (const beat of sortedIncoming) byId.set(beat.id, beat)
    merged = [...byId.values()].sort((a, b) => a.time - b.time)
  }
  return merged.length > max ? merged.slice(merged.length - max) : merged
}

function notify(changed: Set<string>): void {
  if (changed.size === 0) return
  for (const id of changed) listeners.get(id)?.forEach((listener) => listener())
  anyListeners.forEach((listener) => listener(changed))
}

function update(id: string, next: Omit<LiveEntry, 'version'>): void {
  const previous = entries.get(id)
  entries.set(id, { ...next, version: (previous?.version ?? 0) + 1 })
}

/** Adds beats fetched over HTTP (e.g. the latest 30 of a list page) and starts tracking. */
export function seedBeats(monitorId: string, heartbeats: readonly Heartbeat[]): void {
  seedMany({ [monitorId]: heartbeats })
}

export function seedMany(byMonitor: Record<string, readonly Heartbeat[]>): void {
  const changed = new Set<string>()
  for (const [id, heartbeats] of Object.entries(byMonitor)) {
    tracked.add(id)
    const previous = entries.get(id) ?? EMPTY
    const beats = mergeBeats(previous.beats, heartbeats.map(toBeat))
    const newest = beats[beats.length - 1]
    update(id, { beats, status: previous.status ?? newest?.status ?? null })
    changed.add(id)
  }
  notify(changed)
}

/** Starts keeping beats for a monitor even before any arrive (detail page). */
export function track(monitorId: string): void {
  tracked.add(monitorId)
}

type LiveEvent = { kind: 'beat'; heartbeat: Heartbeat } | { kind: 'status'; event: MonitorStatusEvent }

/** Applies a batch of events at once; exported for tests and for the batcher. */
export function applyEvents(events: readonly LiveEvent[]): Set<string> {
  const beatsById = new Map<string, Beat[]>()
  const statusById = new Map<string, number>()
  for (const event of events) {
    if (event.kind === 'beat') {
      const id = String(event.heartbeat.monitor_id)
      const list = beatsById.get(id) ?? []
      list.push(toBeat(event.heartbeat))
      beatsById.set(id, list)
      statusById.set(id, event.heartbeat.status)
    } else {
      statusById.set(String(event.event.monitor_id), event.event.status)
    }
  }
  const changed = new Set<string>()
  for (const [id, status] of statusById) {
    const previous = entries.get(id)
    const incoming = beatsById.get(id)
    // Untracked monitors keep no beats, only their status.
    const beats = incoming && tracked.has(id) ? mergeBeats(previous?.beats ?? [], incoming) : (previous?.beats ?? [])
    if (previous && previous.status === status && beats === previous.beats) continue
    update(id, { beats, status })
    changed.add(id)
  }
  notify(changed)
  return changed
}

const batcher = createBatcher<LiveEvent>({ onFlush: (events) => applyEvents(events) })

export function ingestHeartbeat(heartbeat: Heartbeat): void {
  batcher.push({ kind: 'beat', heartbeat })
}

export function ingestStatus(event: MonitorStatusEvent): void {
  batcher.push({ kind: 'status', event })
}

export function forgetMonitor(id: string): void {
  entries.delete(id)
  tracked.delete(id)
  notify(new Set([id]))
}

/** Drops everything (sign-out, monitor reset). */
export function clearLive(id?: string): void {
  if (id) {
    if (entries.has(id)) {
      update(id, { beats: [], status: null })
      notify(new Set([id]))
    }
    return
  }
  const ids = new Set(entries.keys())
  entries.clear()
  tracked.clear()
  notify(ids)
}

export function getLive(id: string): LiveEntry {
  return entries.get(id) ?? EMPTY
}

function subscribe(id: string, listener: () => void): () => void {
  let set = listeners.get(id)
  if (!set) {
    set = new Set()
    listeners.set(id, set)
  }
  set.add(listener)
  return () => {
    set.delete(listener)
    if (set.size === 0) listeners.delete(id)
  }
}

/** Subscribes to changes of any monitor; receives the changed ids once per batch. */
export function onLiveChange(listener: (changed: ReadonlySet<string>) => void): () => void {
  anyListeners.add(listener)
  return () => anyListeners.delete(listener)
}

export function useLive(id: string): LiveEntry {
  return useSyncExternalStore(
    (listener) => subscribe(id, listener),
    () => getLive(id),
  )
}
