/**
 * The route table. A page is one entry here: its path, its lazily loaded component (each page
 * is its own chunk) and, if it belongs in the sidebar, its nav label and icon. Later pages
 * (status pages, maintenance, tags, proxies, settings, security) slot in as
 * further entries.
 */
import { lazy, type ComponentType, type LazyExoticComponent } from 'react'
import { Activity, BellRing, Globe, Settings, ShieldCheck, Tag, Upload, Wrench, type LucideIcon } from 'lucide-react'
import type { MessageKey } from '@/i18n'

export interface AppRoute {
  path: string
  Component: LazyExoticComponent<ComponentType>
  /** Present when the page is listed in the sidebar. */
  nav?: { label: MessageKey; icon: LucideIcon }
}

/** Pages that need a signed-in admin; rendered inside the app layout. */
export const protectedRoutes: AppRoute[] = [
  {
    path: '/monitors',
    Component: lazy(() => import('@/pages/monitors/MonitorListPage')),
    nav: { label: 'nav.monitors', icon: Activity },
  },
  { path: '/monitors/new', Component: lazy(() => import('@/pages/monitors/MonitorEditPage')) },
  { path: '/monitors/:id', Component: lazy(() => import('@/pages/monitors/MonitorDetailPage')) },
  { path: '/monitors/:id/edit', Component: lazy(() => import('@/pages/monitors/MonitorEditPage')) },
  {
    path: '/notifications',
    Component: lazy(() => import('@/pages/notifications/NotificationListPage')),
    nav: { label: 'nav.notifications', icon: BellRing },
  },
  { path: '/notifications/new', Component: lazy(() => import('@/pages/notifications/NotificationEditPage')) },
  { path: '/notifications/:id', Component: lazy(() => import('@/pages/notifications/NotificationDeliveriesPage')) },
  { path: '/notifications/:id/edit', Component: lazy(() => import('@/pages/notifications/NotificationEditPage')) },
  {
    path: '/maintenances',
    Component: lazy(() => import('@/pages/maintenances/MaintenanceListPage')),
    nav: { label: 'nav.maintenances', icon: Wrench },
  },
  { path: '/maintenances/new', Component: lazy(() => import('@/pages/maintenances/MaintenanceEditPage')) },
  { path: '/maintenances/:id/edit', Component: lazy(() => import('@/pages/maintenances/MaintenanceEditPage')) },
  {
    path: '/tags',
    Component: lazy(() => import('@/pages/tags/TagListPage')),
    nav: { label: 'nav.tags', icon: Tag },
  },
  {
    path: '/status-pages',
    Component: lazy(() => import('@/pages/statusPages/StatusPageListPage')),
    nav: { label: 'nav.statusPages', icon: Globe },
  },
  { path: '/status-pages/new', Component: lazy(() => import('@/pages/statusPages/StatusPageEditPage')) },
  { path: '/status-pages/:id/edit', Component: lazy(() => import('@/pages/statusPages/StatusPageEditPage')) },
  {
    path: '/import',
    Component: lazy(() => import('@/pages/import/ImportPage')),
    nav: { label: 'nav.import', icon: Upload },
  },
  {
    path: '/security',
    Component: lazy(() => import('@/pages/security/SecurityPage')),
    nav: { label: 'nav.security', icon: ShieldCheck },
  },
  {
    path: '/settings',
    Component: lazy(() => import('@/pages/settings/SettingsPage')),
    nav: { label: 'nav.settings', icon: Settings },
  },
]

/** Pages reachable without signing in (auth now, public status pages later). */
export const publicRoutes: AppRoute[] = [
  { path: '/login', Component: lazy(() => import('@/pages/auth/LoginPage')) },
  { path: '/register', Component: lazy(() => import('@/pages/auth/RegisterPage')) },
]

export const navItems = protectedRoutes.filter((route): route is AppRoute & Required<Pick<AppRoute, 'nav'>> =>
  Boolean(route.nav),
)

export const HOME_PATH = '/monitors'
