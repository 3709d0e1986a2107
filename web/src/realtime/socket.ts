/**
 * The app's single Socket.IO connection (path /socket.io/, websocket only, access token in the
 * query). Pages join rooms through `joinRoom` (reference-counted, re-joined after reconnects)
 * and listen with `onEvent`; handlers survive reconnects because one dispatcher fans events out.
 */
import { io, type Socket } from 'socket.io-client'
import { useSyncExternalStore } from 'react'
import { refreshSession } from '@/api/client'
import { session } from '@/api/session'

type Handler = (payload: unknown) => void
export type ConnectionState = 'offline' | 'connecting' | 'online'

let socket: Socket | null = null
let state: ConnectionState = 'offline'
let everConnected = false
let authRetryTimer: ReturnType<typeof setTimeout> | null = null
let authRetries = 0
const rooms = new Map<string, number>()
const handlers = new Map<string, Set<Handler>>()
const stateListeners = new Set<() => void>()
const reconnectListeners = new Set<() => void>()

function setState(next: ConnectionState): void {
  if (state === next) return
  state = next
  stateListeners.forEach((listener) => listener())
}

function dispatch(event: string, payload: unknown): void {
  handlers.get(event)?.forEach((handler) => handler(payload))
}

/** Opens the connection if signed in; a no-op when already open. */
export function connectRealtime(): void {
  if (socket || !session.accessToken) return
  setState('connecting')
  const s = io({
    path: '/socket.io/',
    transports: ['websocket'],
    query: { token: session.accessToken },
    reconnectionDelay: 1000,
    reconnectionDelayMax: 10_000,
    timeout: 10_000,
  })
  socket = s
  s.io.on('reconnect_attempt', () => {
    s.io.opts.query = { token: session.accessToken ?? '' }
  })
  s.on('connect', () => {
    authRetries = 0
    setState('online')
    for (const room of rooms.keys()) s.emit('join_room', room)
    if (everConnected) reconnectListeners.forEach((listener) => listener())
    everConnected = true
  })
  s.on('disconnect', () => setState('connecting'))
  s.on('connect_error', () => {
    setState('connecting')
    // A rejected handshake (expired token) stops automatic reconnection: refresh and retry,
    // with a growing, bounded delay.
    if (!s.active && authRetryTimer === null) {
      const delay = Math.min(30_000, 1000 * 2 ** authRetries++)
      authRetryTimer = setTimeout(async () => {
        authRetryTimer = null
        if (socket !== s) return
        await refreshSession()
        if (!session.accessToken) return
        s.io.opts.query = { token: session.accessToken }
        s.connect()
      }, delay)
    }
  })
  s.onAny((event: string, payload: unknown) => dispatch(event, payload))
}

export function disconnectRealtime(): void {
  if (authRetryTimer !== null) clearTimeout(authRetryTimer)
  authRetryTimer = null
  socket?.removeAllListeners()
  socket?.io.removeAllListeners()
  socket?.disconnect()
  socket = null
  everConnected = false
  setState('offline')
}

/** Joins `room` while at least one caller holds it; returns the release function. */
export function joinRoom(room: string): () => void {
  const count = rooms.get(room) ?? 0
  rooms.set(room, count + 1)
  if (count === 0 && socket?.connected) socket.emit('join_room', room)
  let released = false
  return () => {
    if (released) return
    released = true
    const left = (rooms.get(room) ?? 1) - 1
    if (left > 0) {
      rooms.set(room, left)
      return
    }
    rooms.delete(room)
    if (socket?.connected) socket.emit('leave_room', room)
  }
}

export function onEvent<T>(event: string, handler: (payload: T) => void): () => void {
  let set = handlers.get(event)
  if (!set) {
    set = new Set()
    handlers.set(event, set)
  }
  set.add(handler as Handler)
  return () => {
    set.delete(handler as Handler)
    if (set.size === 0) handlers.delete(event)
  }
}

/** Runs after a reconnect, when events may have been missed: callers refetch. */
export function onReconnect(listener: () => void): () => void {
  reconnectListeners.add(listener)
  return () => reconnectListeners.delete(listener)
}

export function useConnectionState(): ConnectionState {
  return useSyncExternalStore(
    (listener) => {
      stateListeners.add(listener)
      return () => stateListeners.delete(listener)
    },
    () => state,
  )
}
