import { QueryClientProvider } from '@tanstack/react-query'
import { Suspense, useEffect } from 'react'
import { createBrowserRouter, Navigate, Outlet, RouterProvider, useLocation } from 'react-router'
import { onAuthLost } from '@/api/client'
import { useSignedIn } from '@/api/session'
import { AppLayout } from '@/components/layout/AppLayout'
import { LoadingState } from '@/components/ui/states'
import { Toaster } from '@/components/ui/toast'
import { clearLive } from '@/monitors/live'
import NotFoundPage from '@/pages/NotFoundPage'
import { disconnectRealtime } from '@/realtime/socket'
import { HOME_PATH, protectedRoutes, publicRoutes } from './routes'
import { queryClient } from './queryClient'
import { RouteError } from './RouteError'

function RequireAuth() {
  const signedIn = useSignedIn()
  const location = useLocation()
  if (!signedIn) return <Navigate to="/login" replace state={{ from: location.pathname + location.search }} />
  return <AppLayout />
}

function PublicShell() {
  return (
    <Suspense fallback={<LoadingState className="flex min-h-dvh items-center justify-center text-muted-foreground" />}>
      <Outlet />
    </Suspense>
  )
}

const router = createBrowserRouter([
  {
    errorElement: <RouteError />,
    children: [
      {
        element: <PublicShell />,
        children: publicRoutes.map(({ path, Component }) => ({ path, element: <Component /> })),
      },
      {
        element: <RequireAuth />,
        children: [
          { index: true, element: <Navigate to={HOME_PATH} replace /> },
          ...protectedRoutes.map(({ path, Component }) => ({ path, element: <Component /> })),
          { path: '*', element: <NotFoundPage /> },
        ],
      },
    ],
  },
])

export function App() {
  useEffect(() => {
    onAuthLost(() => {
      disconnectRealtime()
      clearLive()
      queryClient.clear()
      const here = window.location.pathname + window.location.search
      if (!here.startsWith('/login')) void router.navigate('/login', { replace: true, state: { from: here, expired: true } })
    })
  }, [])

  return (
    <QueryClientProvider client={queryClient}>
      <RouterProvider router={router} />
      <Toaster />
    </QueryClientProvider>
  )
}
