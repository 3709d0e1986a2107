import { useQuery, useQueryClient } from '@tanstack/react-query'
import { LogOut, Menu, X } from 'lucide-react'
import { Suspense, useEffect, useRef, useState } from 'react'
import { NavLink, Outlet } from 'react-router'
import { logout } from '@/api/auth'
import { monitorKeys } from '@/api/monitors'
import { getVersion, systemKeys } from '@/api/system'
import type { MonitorChangedEvent, MonitorStatusEvent } from '@/api/types'
import { navItems } from '@/app/routes'
import { Button } from '@/components/ui/button'
import { LoadingState } from '@/components/ui/states'
import { t } from '@/i18n'
import { cn } from '@/lib/cn'
import { clearLive, forgetMonitor, ingestStatus } from '@/monitors/live'
import { connectRealtime, disconnectRealtime, onEvent, onReconnect, useConnectionState } from '@/realtime/socket'
import { ThemeToggle } from './ThemeToggle'

function Brand() {
  return (
    <span className="flex items-center gap-2 font-semibold">
      <img src="/favicon.svg" alt="" className="size-6" />
      {t('app.name')}
    </span>
  )
}

function NavList({ onNavigate }: { onNavigate?: () => void }) {
  return (
    <nav aria-label={t('nav.main')}>
      <ul className="grid gap-1">
        {navItems.map(({ path, nav }) => (
          <li key={path}>
            <NavLink
              to={path}
              onClick={onNavigate}
              className={({ isActive }) =>
                cn(
                  'flex items-center gap-3 rounded-md px-3 py-2 text-sm font-medium transition-colors',
                  isActive ? 'bg-accent text-foreground' : 'text-muted-foreground hover:bg-accent hover:text-foreground',
                )
              }
            >
              <nav.icon className="size-4" aria-hidden="true" />
              {t(nav.label)}
            </NavLink>
          </li>
        ))}
      </ul>
    </nav>
  )
}

function ConnectionIndicator() {
  const state = useConnectionState()
  const label = t(state === 'online' ? 'realtime.online' : state === 'connecting' ? 'realtime.connecting' : 'realtime.offline')
  return (
    <span className="flex items-center gap-2 text-xs text-muted-foreground" title={t('realtime.status', { state: label })}>
      <span
        aria-hidden="true"
        className={cn('size-2 rounded-full', state === 'online' ? 'bg-status-up' : state === 'connecting' ? 'bg-status-pending' : 'bg-status-paused')}
      />
      <span className="sr-only sm:not-sr-only">{label}</span>
    </span>
  )
}

function VersionLabel() {
  const { data } = useQuery({ queryKey: systemKeys.version, queryFn: getVersion, staleTime: Infinity })
  return <p className="px-3 text-xs text-muted-foreground">{data?.version ? t('app.version', { version: data.version }) : '\u00a0'}</p>
}

/** Keeps the one socket open while signed in and turns monitor-wide events into cache updates. */
function useRealtimeBridge() {
  const queryClient = useQueryClient()
  useEffect(() => {
    connectRealtime()
    let pending: ReturnType<typeof setTimeout> | null = null
    const invalidateLists = () => {
      if (pending) return
      pending = setTimeout(() => {
        pending = null
        void queryClient.invalidateQueries({ queryKey: monitorKeys.lists() })
      }, 500)
    }
    const offChanged = onEvent<MonitorChangedEvent>('monitor:changed', (event) => {
      if (event.action === 'deleted') forgetMonitor(event.id)
      // An open detail page refetches (and shows "not found" after a delete elsewhere).
      void queryClient.invalidateQueries({ queryKey: monitorKeys.detail(event.id), exact: true })
      invalidateLists()
    })
    const offStatus = onEvent<MonitorStatusEvent>('monitor:status', (event) => ingestStatus(event))
    const offReconnect = onReconnect(() => void queryClient.invalidateQueries({ queryKey: monitorKeys.all }))
    return () => {
      if (pending) clearTimeout(pending)
      offChanged()
      offStatus()
      offReconnect()
    }
  }, [queryClient])
}

export function AppLayout() {
  const [menuOpen, setMenuOpen] = useState(false)
  const drawer = useRef<HTMLDialogElement>(null)
  const queryClient = useQueryClient()
  useRealtimeBridge()

  useEffect(() => {
    const dialog = drawer.current
    if (!dialog) return
    if (menuOpen && !dialog.open) dialog.showModal()
    if (!menuOpen && dialog.open) dialog.close()
  }, [menuOpen])

  const signOut = () => {
    disconnectRealtime()
    clearLive()
    queryClient.clear()
    logout()
  }

  return (
    <div className="min-h-dvh lg:pl-60">
      <a
        href="#main"
        className="sr-only focus:not-sr-only focus:fixed focus:top-2 focus:left-2 focus:z-50 focus:rounded-md focus:bg-card focus:px-3 focus:py-2"
      >
        {t('app.skipToContent')}
      </a>

      <aside className="fixed inset-y-0 left-0 hidden w-60 flex-col gap-6 border-r bg-card px-3 py-4 lg:flex">
        <div className="px-3">
          <Brand />
        </div>
        <div className="flex-1">
          <NavList />
        </div>
        <VersionLabel />
      </aside>

      <dialog
        ref={drawer}
        aria-label={t('nav.main')}
        onCancel={(event) => {
          event.preventDefault()
          setMenuOpen(false)
        }}
        onClick={(event) => {
          if (event.target === drawer.current) setMenuOpen(false)
        }}
        className="m-0 h-dvh max-h-none w-72 max-w-[85vw] border-r bg-card p-0 text-card-foreground"
      >
        <div className="flex h-full flex-col gap-6 px-3 py-4">
          <div className="flex items-center justify-between px-3">
            <Brand />
            <Button variant="ghost" size="icon" aria-label={t('nav.closeMenu')} onClick={() => setMenuOpen(false)}>
              <X />
            </Button>
          </div>
          <div className="flex-1">
            <NavList onNavigate={() => setMenuOpen(false)} />
          </div>
          <VersionLabel />
        </div>
      </dialog>

      <header className="sticky top-0 z-30 flex h-14 items-center gap-2 border-b bg-background/90 px-3 backdrop-blur sm:px-6">
        <Button variant="ghost" size="icon" className="lg:hidden" aria-label={t('nav.openMenu')} onClick={() => setMenuOpen(true)}>
          <Menu />
        </Button>
        <span className="lg:hidden">
          <Brand />
        </span>
        <div className="flex-1" />
        <ConnectionIndicator />
        <ThemeToggle />
        <Button variant="ghost" size="icon" aria-label={t('nav.signOut')} title={t('nav.signOut')} onClick={signOut}>
          <LogOut />
        </Button>
      </header>

      <main id="main" tabIndex={-1} className="mx-auto w-full max-w-6xl px-3 py-6 outline-none sm:px-6">
        <Suspense fallback={<LoadingState />}>
          <Outlet />
        </Suspense>
      </main>
    </div>
  )
}
