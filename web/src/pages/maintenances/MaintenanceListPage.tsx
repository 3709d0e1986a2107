import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { Pause, Pencil, Play, Plus, Trash2, Wrench } from 'lucide-react'
import { useState } from 'react'
import { Link } from 'react-router'
import { deleteMaintenance, listMaintenances, maintenanceKeys, setMaintenancePaused } from '@/api/maintenances'
import type { Maintenance } from '@/api/types'
import { PageLayout } from '@/components/layout/PageLayout'
import { Badge } from '@/components/ui/badge'
import { Button, buttonVariants } from '@/components/ui/button'
import { Card } from '@/components/ui/card'
import { ConfirmDialog } from '@/components/ui/dialog'
import { EmptyState, ErrorState, LoadingState } from '@/components/ui/states'
import { toast } from '@/components/ui/toast'
import { t, type MessageKey } from '@/i18n'
import { errorMessage } from '@/lib/errors'
import { cn } from '@/lib/cn'

/** Windows start and end while the page is open: refresh the statuses now and then. */
const REFRESH_MS = 30_000

const STATUS_CLASS: Record<string, string> = {
  'under-maintenance': 'border-status-maintenance/40 bg-status-maintenance/10 text-status-maintenance',
  scheduled: 'text-foreground',
  ended: 'text-muted-foreground',
  inactive: 'text-muted-foreground',
}

function MaintenanceRow({ m, onDelete }: { m: Maintenance; onDelete: (m: Maintenance) => void }) {
  const queryClient = useQueryClient()
  const toggle = useMutation({
    mutationFn: (paused: boolean) => setMaintenancePaused(m.id, paused),
    onSuccess: (saved) => {
      queryClient.setQueryData<Maintenance[]>(maintenanceKeys.list(), (list) => list?.map((x) => (x.id === saved.id ? saved : x)))
      toast(t(saved.active ? 'maintenances.resumed' : 'maintenances.paused'))
    },
    onError: (error) => toast(errorMessage(error), 'error'),
  })
  const next = m.next_windows[0]
  const strategyKey = `maintenanceForm.strategy.${m.strategy}` as MessageKey
  return (
    <li data-maintenance-row={m.id} data-status={m.status} className="flex flex-wrap items-center gap-3 border-b px-3 py-3 last:border-b-0 sm:px-4">
      <div className="grid min-w-0 flex-1 gap-0.5">
        <div className="flex min-w-0 flex-wrap items-center gap-2">
          <Link to={`/maintenances/${m.id}/edit`} className="truncate font-medium hover:underline">
            {m.title}
          </Link>
          <Badge className={cn(STATUS_CLASS[m.status])}>{t(`maintenances.status.${m.status}` as MessageKey)}</Badge>
        </div>
        <p className="truncate text-xs text-muted-foreground">
          {t(strategyKey)} · {m.timezone} · {t('maintenances.monitors', { count: m.monitor_ids.length })}
          {next && m.strategy !== 'manual' ? ` · ${t('maintenances.next', { start: new Date(next.start).toLocaleString() })}` : ''}
        </p>
      </div>
      <div className="flex items-center gap-1">
        <Button
          variant="ghost"
          size="icon"
          disabled={toggle.isPending}
          title={t(m.active ? 'maintenances.pause' : 'maintenances.resume')}
          aria-label={`${t(m.active ? 'maintenances.pause' : 'maintenances.resume')}: ${m.title}`}
          onClick={() => toggle.mutate(m.active)}
        >
          {m.active ? <Pause aria-hidden="true" /> : <Play aria-hidden="true" />}
        </Button>
        <Link to={`/maintenances/${m.id}/edit`} className={buttonVariants({ variant: 'ghost', size: 'icon' })} title={t('maintenances.edit')} aria-label={`${t('maintenances.edit')}: ${m.title}`}>
          <Pencil aria-hidden="true" />
        </Link>
        <Button variant="ghost" size="icon" title={t('maintenances.delete')} aria-label={`${t('maintenances.delete')}: ${m.title}`} onClick={() => onDelete(m)}>
          <Trash2 aria-hidden="true" />
        </Button>
      </div>
    </li>
  )
}

/** /maintenances: every maintenance with its status and next window; pause, resume, delete. */
export default function MaintenanceListPage() {
  const queryClient = useQueryClient()
  const list = useQuery({ queryKey: maintenanceKeys.list(), queryFn: ({ signal }) => listMaintenances(signal), refetchInterval: REFRESH_MS })
  const [deleting, setDeleting] = useState<Maintenance | null>(null)
  const remove = useMutation({
    mutationFn: (id: string) => deleteMaintenance(id),
    onSuccess: () => {
      setDeleting(null)
      toast(t('maintenances.deleted'))
      void queryClient.invalidateQueries({ queryKey: maintenanceKeys.all })
    },
    onError: (error) => toast(errorMessage(error), 'error'),
  })
  const newButton = (
    <Link to="/maintenances/new" className={buttonVariants()}>
      <Plus aria-hidden="true" />
      {t('maintenances.new')}
    </Link>
  )
  let content
  if (list.isPending) content = <LoadingState />
  else if (list.isError) content = <ErrorState title={t('maintenances.loadError')} error={list.error} onRetry={() => void list.refetch()} />
  else if (list.data.length === 0)
    content = <EmptyState icon={<Wrench />} title={t('maintenances.empty')} body={t('maintenances.emptyBody')} action={newButton} />
  else
    content = (
      <Card>
        <ul>
          {list.data.map((m) => (
            <MaintenanceRow key={m.id} m={m} onDelete={setDeleting} />
          ))}
        </ul>
      </Card>
    )
  return (
    <PageLayout title={t('maintenances.title')} description={t('maintenances.description')} actions={list.data?.length ? newButton : undefined} className="max-w-4xl">
      {content}
      <ConfirmDialog
        open={deleting !== null}
        title={t('maintenances.confirmDeleteTitle')}
        description={t('maintenances.confirmDeleteBody', { title: deleting?.title ?? '' })}
        confirmLabel={t('maintenances.delete')}
        destructive
        busy={remove.isPending}
        onConfirm={() => deleting && remove.mutate(deleting.id)}
        onClose={() => setDeleting(null)}
      />
    </PageLayout>
  )
}
