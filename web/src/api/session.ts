/**
 * The JWT pair of the signed-in admin, persisted in localStorage so a reload stays signed in.
 * Components observe it through `useSession()`; the API client and the socket read it directly.
 */
import { useSyncExternalStore } from 'react'

const ACCESS_KEY = 'peekaping.accessToken'
const REFRESH_KEY = 'peekaping.refreshToken'

export interface Tokens {
  accessToken: string
  refreshToken: string
}

const listeners = new Set<() => void>()

function read(key: string): string | null {
  try {
    return localStorage.getItem(key)
  } catch {
    return null
  }
}

let current: Tokens | null = null
function load(): Tokens | null {
  const accessToken = read(ACCESS_KEY)
  const refreshToken = read(REFRESH_KEY)
  return accessToken && refreshToken ? { accessToken, refreshToken } : null
}
current = typeof localStorage !== 'undefined' ? load() : null

export const session = {
  get tokens(): Tokens | null {
    return current
  },
  get accessToken(): string | null {
    return current?.accessToken ?? null
  },
  get refreshToken(): string | null {
    return current?.refreshToken ?? null
  },
  set(tokens: Tokens): void {
    current = { accessToken: tokens.accessToken, refreshToken: tokens.refreshToken }
    try {
      localStorage.setItem(ACCESS_KEY, tokens.accessToken)
      localStorage.setItem(REFRESH_KEY, tokens.refreshToken)
    } catch {
      // Kept in memory only.
    }
    listeners.forEach((listener) => listener())
  },
  clear(): void {
    current = null
    try {
      localStorage.removeItem(ACCESS_KEY)
      localStorage.removeItem(REFRESH_KEY)
    } catch {
      // Nothing persisted.
    }
    listeners.forEach((listener) => listener())
  },
  subscribe(listener: () => void): () => void {
    listeners.add(listener)
    return () => listeners.delete(listener)
  },
  /** Re-reads storage (tests, and other tabs signing in or out). */
  reload(): void {
    current = load()
    listeners.forEach((listener) => listener())
  },
}

if (typeof window !== 'undefined') {
  window.addEventListener('storage', (event) => {
    if (event.key === ACCESS_KEY || event.key === REFRESH_KEY || event.key === null) session.reload()
  })
}

export function useSignedIn(): boolean {
  return useSyncExternalStore(session.subscribe, () => current !== null)
}
