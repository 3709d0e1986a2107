import { useSyncExternalStore } from 'react'
import { cn } from '@/lib/cn'

interface Toast {
  id: number
  message: string
  tone: 'success' | 'error' | 'info'
}

let toasts: Toast[] = []
let nextId = 1
const listeners = new Set<() => void>()

function emit() {
  listeners.forEach((listener) => listener())
}

/** Shows a short message in the corner (announced by screen readers) for four seconds. */
export function toast(message: string, tone: Toast['tone'] = 'success'): void {
  const id = nextId++
  toasts = [...toasts.slice(-3), { id, message, tone }]
  emit()
  setTimeout(() => {
    toasts = toasts.filter((item) => item.id !== id)
    emit()
  }, 4000)
}

export function Toaster() {
  const items = useSyncExternalStore(
    (listener) => {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
    () => toasts,
  )
  return (
    <div
      aria-live="polite"
      className="pointer-events-none fixed right-4 bottom-4 z-50 flex w-[calc(100%-2rem)] max-w-sm flex-col gap-2"
    >
      {items.map((item) => (
        <div
          key={item.id}
          role={item.tone === 'error' ? 'alert' : 'status'}
          className={cn(
            'pointer-events-auto rounded-md border bg-card px-4 py-3 text-sm shadow-lg',
            item.tone === 'error' && 'border-destructive/50 text-destructive',
          )}
        >
          {item.message}
        </div>
      ))}
    </div>
  )
}
