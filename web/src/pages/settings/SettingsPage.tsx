import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { Download, Upload } from 'lucide-react'
import { useRef, useState } from 'react'
import { ApiError } from '@/api/client'
import {
  backupKeys,
  exportBackup,
  getBackupSettings,
  importBackup,
  INTERVAL_SETTING,
  KEEP_SETTING,
  putIntSetting,
  RETENTION_SETTING,
} from '@/api/backup'
import { PageLayout } from '@/components/layout/PageLayout'
import { Button } from '@/components/ui/button'
import { Card, CardContent, CardHeader, CardTitle } from '@/components/ui/card'
import { Checkbox } from '@/components/ui/checkbox'
import { ConfirmDialog } from '@/components/ui/dialog'
import { Field } from '@/components/ui/field'
import { Input } from '@/components/ui/input'
import { ErrorState } from '@/components/ui/states'
import { toast } from '@/components/ui/toast'
import { t, type MessageKey } from '@/i18n'
import { errorMessage } from '@/lib/errors'
import {
  backupFileName,
  formFromSettings,
  parseBackupFile,
  type ScheduleErrors,
  type ScheduleForm,
  scheduleValues,
} from '@/settings/backupSettings'

function download(value: unknown, name: string) {
  const blob = new Blob([JSON.stringify(value, null, 2)], { type: 'application/json' })
  const url = URL.createObjectURL(blob)
  const a = document.createElement('a')
  a.href = url
  a.download = name
  a.click()
  URL.revokeObjectURL(url)
}

function ExportSection() {
  const [history, setHistory] = useState(false)
  const run = useMutation({
    mutationFn: () => exportBackup(history),
    onSuccess: (backup) => download(backup, backupFileName(new Date(), history)),
    onError: (error) => toast(errorMessage(error)),
  })
  return (
    <div className="grid gap-2">
      <h3 className="text-sm font-medium">{t('backup.export')}</h3>
      <p className="text-sm text-muted-foreground">{t('backup.exportHint')}</p>
      <Checkbox label={t('backup.withHistory')} checked={history} onChange={(e) => setHistory(e.target.checked)} />
      <Button className="w-fit" onClick={() => run.mutate()} disabled={run.isPending}>
        <Download className="size-4" aria-hidden="true" />
        {t('backup.download')}
      </Button>
    </div>
  )
}

function ImportSection() {
  const queryClient = useQueryClient()
  const fileInput = useRef<HTMLInputElement>(null)
  const [file, setFile] = useState<{ name: string; backup: unknown } | null>(null)
  const [replace, setReplace] = useState(false)
  const [confirming, setConfirming] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const run = useMutation({
    mutationFn: () => importBackup(file?.backup, replace),
    onSuccess: (summary) => {
      setError(null)
      setConfirming(false)
      void queryClient.invalidateQueries()
      toast(t('backup.imported').replace('{monitors}', String(summary.monitors)))
    },
    onError: (e) => {
      setConfirming(false)
      const field = e instanceof ApiError && e.field ? `${e.field}: ` : ''
      setError(`${field}${errorMessage(e)}`)
    },
  })
  const choose = async (chosen: File | undefined) => {
    setError(null)
    setFile(null)
    if (!chosen) return
    const backup = parseBackupFile(await chosen.text())
    if (backup === null) return setError(t('backup.notABackup'))
    setFile({ name: chosen.name, backup })
  }
  return (
    <div className="grid gap-2">
      <h3 className="text-sm font-medium">{t('backup.import')}</h3>
      <p className="text-sm text-muted-foreground">{t('backup.importHint')}</p>
      <input
        ref={fileInput}
        type="file"
        accept="application/json,.json"
        aria-label={t('backup.chooseFile')}
        className="text-sm"
        onChange={(e) => void choose(e.target.files?.[0])}
      />
      <Checkbox label={t('backup.replace')} hint={t('backup.replaceHint')} checked={replace} onChange={(e) => setReplace(e.target.checked)} />
      {error ? (
        <p role="alert" className="text-sm text-destructive">
          {error}
        </p>
      ) : null}
      <Button
        className="w-fit"
        variant={replace ? 'destructive' : 'default'}
        disabled={!file || run.isPending}
        onClick={() => (replace ? setConfirming(true) : run.mutate())}
      >
        <Upload className="size-4" aria-hidden="true" />
        {t('backup.restore')}
      </Button>
      <ConfirmDialog
        open={confirming}
        title={t('backup.confirmTitle')}
        description={t('backup.confirmBody').replace('{file}', file?.name ?? '')}
        confirmLabel={t('backup.confirmReplace')}
        destructive
        busy={run.isPending}
        onConfirm={() => run.mutate()}
        onClose={() => setConfirming(false)}
      />
    </div>
  )
}

const ERROR_TEXT: Record<NonNullable<ScheduleErrors[keyof ScheduleErrors]>, MessageKey> = {
  wholeNumber: 'backup.error.wholeNumber',
  range: 'backup.error.range',
}

function ScheduleSection() {
  const settings = useQuery({ queryKey: backupKeys.settings(), queryFn: ({ signal }) => getBackupSettings(signal) })
  if (settings.isError) {
    return <ErrorState title={t('backup.loadError')} error={settings.error} onRetry={() => void settings.refetch()} />
  }
  if (!settings.data) return null
  return <ScheduleFormView initial={formFromSettings(settings.data)} />
}

function ScheduleFormView({ initial }: { initial: ScheduleForm }) {
  const queryClient = useQueryClient()
  const [form, setForm] = useState<ScheduleForm>(initial)
  const [errors, setErrors] = useState<ScheduleErrors>({})
  const save = useMutation({
    mutationFn: async (v: { intervalHours: number; keep: number; retentionDays: number }) => {
      await putIntSetting(INTERVAL_SETTING, v.intervalHours)
      await putIntSetting(KEEP_SETTING, v.keep)
      await putIntSetting(RETENTION_SETTING, v.retentionDays)
    },
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: backupKeys.settings() })
      toast(t('backup.scheduleSaved'))
    },
    onError: (e) => toast(errorMessage(e)),
  })
  const set = (patch: Partial<ScheduleForm>) => setForm((f) => ({ ...f, ...patch }))
  const err = (k: keyof ScheduleForm) => (errors[k] ? t(ERROR_TEXT[errors[k]]) : undefined)
  const submit = () => {
    const result = scheduleValues(form)
    if ('errors' in result) return setErrors(result.errors)
    setErrors({})
    save.mutate(result.values)
  }
  return (
    <form
      className="grid gap-3"
      onSubmit={(e) => {
        e.preventDefault()
        submit()
      }}
    >
      <h3 className="text-sm font-medium">{t('backup.schedule')}</h3>
      <p className="text-sm text-muted-foreground">{t('backup.scheduleHint')}</p>
      <div className="grid gap-3 sm:grid-cols-3">
        <Field name="intervalHours" label={t('backup.intervalHours')} hint={t('backup.intervalHint')} error={err('intervalHours')}>
          {(control) => <Input {...control} inputMode="numeric" value={form.intervalHours} onChange={(e) => set({ intervalHours: e.target.value })} />}
        </Field>
        <Field name="keep" label={t('backup.keep')} error={err('keep')}>
          {(control) => <Input {...control} inputMode="numeric" value={form.keep} onChange={(e) => set({ keep: e.target.value })} />}
        </Field>
        <Field name="retentionDays" label={t('backup.retentionDays')} hint={t('backup.retentionHint')} error={err('retentionDays')}>
          {(control) => <Input {...control} inputMode="numeric" value={form.retentionDays} onChange={(e) => set({ retentionDays: e.target.value })} />}
        </Field>
      </div>
      <Button type="submit" className="w-fit" disabled={save.isPending}>
        {t('common.save')}
      </Button>
    </form>
  )
}

export default function SettingsPage() {
  return (
    <PageLayout title={t('settings.title')} description={t('settings.description')} className="grid max-w-4xl gap-4">
      <Card>
        <CardHeader>
          <CardTitle>{t('backup.title')}</CardTitle>
        </CardHeader>
        <CardContent className="grid gap-6">
          <ExportSection />
          <ImportSection />
          <ScheduleSection />
        </CardContent>
      </Card>
    </PageLayout>
  )
}
