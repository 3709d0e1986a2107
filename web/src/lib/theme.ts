/**
 * Theme preference (system, light or dark), persisted in localStorage and applied as a `dark`
 * class on <html>. index.html applies it before first paint; this module keeps it in sync.
 */
import { useSyncExternalStore } from 'react'

export type ThemePreference = 'system' | 'light' | 'dark'

const STORAGE_KEY = 'peekaping.theme'
const listeners = new Set<() => void>()
const media = typeof window !== 'undefined' ? window.matchMedia('(prefers-color-scheme: dark)') : null

function readPreference(): ThemePreference {
  try {
    const value = localStorage.getItem(STORAGE_KEY)
    if (value === 'light' || value === 'dark') return value
  } catch {
    // Storage can be unavailable (private mode); fall back to the system theme.
  }
  return 'system'
}

let preference: ThemePreference = typeof window !== 'undefined' ? readPreference() : 'system'

export function isDarkApplied(): boolean {
  return document.documentElement.classList.contains('dark')
}

function apply(): void {
  const dark = preference === 'dark' || (preference === 'system' && Boolean(media?.matches))
  document.documentElement.classList.toggle('dark', dark)
  listeners.forEach((listener) => listener())
}

media?.addEventListener('change', () => {
  if (preference === 'system') apply()
})

export function setThemePreference(next: ThemePreference): void {
  preference = next
  try {
    if (next === 'system') localStorage.removeItem(STORAGE_KEY)
    else localStorage.setItem(STORAGE_KEY, next)
  } catch {
    // Not persisted; still applied for this session.
  }
  apply()
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener)
  return () => listeners.delete(listener)
}

export function useThemePreference(): ThemePreference {
  return useSyncExternalStore(subscribe, () => preference)
}

/** True when dark colours are in effect (resolves `system`). Charts read colours from this. */
export function useDarkMode(): boolean {
  return useSyncExternalStore(subscribe, isDarkApplied)
}
