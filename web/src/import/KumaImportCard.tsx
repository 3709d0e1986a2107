/**
 * "Import from Uptime Kuma": pick kuma.db or a JSON backup, check it (dry run) or import it,
 * and read the report: counts, what was not imported and why, what changed on the way in.
 * A card of its own so it can move into the Settings page.
 */
import { useMutation, useQueryClient } from '@tanstack/react-query'
import { Upload } from 'lucide-react'
import { useState, type FormEvent } from 'react'
import { importFromKuma } from '@/api/import'
import { Alert } from '@/components/ui/alert'
import { Button } from '@/components/ui/button'
import { Card, CardContent, CardHeader, CardTitle } from '@/components/ui/card'
import { Checkbox } from '@/components/ui/checkbox'
import { t } from '@/i18n'
import { errorMessage } from '@/lib/errors'
import { groupByKind, type ImportReport, type ReportEntry } from './report'

function EntryList({ title, entries }: { title: string; entries: ReportEntry[] }) {
  if (entries.length === 0) return null
  return (
    <div className="grid gap-2">
      <h3 className="text-sm font-medium">{title}</h3>
      {groupByKind(entries).map((group) => (
        <ul key={group.kind} className="grid gap-1 text-sm" aria-label={group.kind}>
          {group.entries.map((e, i) => (
            <li key={`${e.name}-${i}`} className="grid grid-cols-[7rem_1fr] gap-2">
              <span className="text-muted-foreground">{e.kind}</span>
              <span>
                <span className="font-medium">{e.name}</span>: {e.reason}
              </span>
            </li>
          ))}
        </ul>
      ))}
    </div>
  )
}

export function KumaImportCard() {
  const queryClient = useQueryClient()
  const [file, setFile] = useState<File | null>(null)
  const [withHistory, setWithHistory] = useState(false)
  const [fileError, setFileError] = useState<string | null>(null)
  const [report, setReport] = useState<ImportReport | null>(null)
  const run = useMutation({
    mutationFn: ({ f, dryRun }: { f: File; dryRun: boolean }) => importFromKuma(f, dryRun, withHistory),
    onSuccess: (r) => {
      setReport(r)
      if (!r.dry_run) void queryClient.invalidateQueries()
    },
  })
  const start = (dryRun: boolean) => (event?: FormEvent) => {
    event?.preventDefault()
    setReport(null)
    if (!file) {
      setFileError(t('import.kuma.pickFile'))
      return
    }
    setFileError(null)
    run.mutate({ f: file, dryRun })
  }
  const counts = report?.imported
  return (
    <Card>
      <CardHeader>
        <CardTitle>{t('import.kuma.title')}</CardTitle>
        <p className="text-sm text-muted-foreground">{t('import.kuma.body')}</p>
      </CardHeader>
      <CardContent className="grid gap-4">
        <form className="grid gap-3" onSubmit={start(false)}>
          <label className="grid gap-1 text-sm">
            <span className="font-medium">{t('import.kuma.file')}</span>
            <input
              type="file"
              accept=".db,.sqlite,.json,application/json,application/octet-stream"
              aria-invalid={fileError ? true : undefined}
              onChange={(e) => {
                setFile(e.target.files?.[0] ?? null)
                setReport(null)
              }}
            />
            {fileError ? <span className="text-destructive">{fileError}</span> : null}
          </label>
          <Checkbox label={t('import.kuma.history')} checked={withHistory} onChange={(e) => setWithHistory(e.target.checked)} />
          <div className="flex gap-2">
            <Button type="button" variant="outline" disabled={run.isPending} onClick={() => start(true)()}>
              {t('import.kuma.dryRun')}
            </Button>
            <Button type="submit" disabled={run.isPending}>
              <Upload className="size-4" aria-hidden="true" />
              {t('import.kuma.run')}
            </Button>
          </div>
        </form>
        {run.isError ? <Alert>{errorMessage(run.error)}</Alert> : null}
        {report && counts ? (
          <div className="grid gap-4" aria-live="polite">
            <Alert tone="info" title={t(report.dry_run ? 'import.kuma.resultDry' : 'import.kuma.result', { source: report.source })}>
              {t('import.kuma.counts', { ...counts })}
            </Alert>
            <EntryList title={t('import.kuma.skipped', { n: report.skipped.length })} entries={report.skipped} />
            <EntryList title={t('import.kuma.warnings', { n: report.warnings.length })} entries={report.warnings} />
          </div>
        ) : null}
      </CardContent>
    </Card>
  )
}
