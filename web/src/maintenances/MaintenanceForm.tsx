/**
 * The create/edit form of a maintenance: title, strategy with its sub-form, time zone, the
 * monitors it covers, and a live preview of the next windows computed by the server
 * (`POST /maintenances/preview`) from what is on screen.
 */
import { useQuery } from '@tanstack/react-query'
import { useEffect, useMemo, useRef, useState, type FormEvent } from 'react'
import { Link } from 'react-router'
import { ApiError } from '@/api/client'
import { previewMaintenance } from '@/api/maintenances'
import { listMonitors, monitorKeys } from '@/api/monitors'
import { Alert } from '@/components/ui/alert'
import { Button, buttonVariants } from '@/components/ui/button'
import { Card, CardContent } from '@/components/ui/card'
import { Checkbox } from '@/components/ui/checkbox'
import { Field } from '@/components/ui/field'
import { Input, NumberInput, Select, Textarea } from '@/components/ui/input'
import { t } from '@/i18n'
import { errorMessage } from '@/lib/errors'
import { FormSection } from '@/monitors/FormSection'
import {
  STRATEGIES,
  WEEKDAY_KEYS,
  crossesMidnight,
  fieldsOf,
  maintenanceBody,
  timeZones,
  toggled,
  validateMaintenance,
  type FieldErrors,
  type MaintenanceDraft,
  type MonthDay,
} from './draft'

interface MaintenanceFormProps {
  initial: MaintenanceDraft
  editing: boolean
  cancelTo: string
  onSubmit: (draft: MaintenanceDraft) => Promise<unknown>
}

function formatWindow(iso: string, timeZone: string): string {
  try {
    return new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short', timeZone }).format(new Date(iso))
  } catch {
    return iso
  }
}

/** The next windows of the draft, debounced; nothing while the draft is invalid. */
function Preview({ draft }: { draft: MaintenanceDraft }) {
  // The title and monitors do not change the windows: a form without them previews too.
  const scheduleDraft = useMemo(() => ({ ...draft, title: 'preview', description: '', monitor_ids: [] }), [draft])
  const valid = Object.keys(validateMaintenance(scheduleDraft)).length === 0
  const body = useMemo(() => maintenanceBody(scheduleDraft), [scheduleDraft])
  const [debounced, setDebounced] = useState(body)
  useEffect(() => {
    const timer = setTimeout(() => setDebounced(body), 300)
    return () => clearTimeout(timer)
  }, [body])
  const preview = useQuery({
    queryKey: ['maintenances', 'preview', debounced],
    queryFn: ({ signal }) => previewMaintenance(debounced, signal),
    // Only once typing pauses, and never for a body the form already knows is invalid.
    enabled: valid && debounced === body,
    retry: false,
  })
  if (!valid) return <p className="text-sm text-muted-foreground">{t('maintenanceForm.previewInvalid')}</p>
  if (draft.strategy === 'manual') return <p className="text-sm text-muted-foreground">{t('maintenanceForm.previewManual')}</p>
  if (preview.isPending) return <p className="text-sm text-muted-foreground">{t('common.loading')}</p>
  if (preview.isError) return <p className="text-sm text-destructive">{errorMessage(preview.error)}</p>
  const windows = preview.data.next_windows
  if (windows.length === 0) return <p className="text-sm text-muted-foreground">{t('maintenanceForm.previewEmpty')}</p>
  return (
    <ol className="grid gap-1 text-sm tabular" data-testid="maintenance-preview">
      {windows.map((w) => (
        <li key={w.start}>
          {formatWindow(w.start, draft.timezone)} → {w.end ? formatWindow(w.end, draft.timezone) : '…'}
        </li>
      ))}
    </ol>
  )
}

function MonitorPicker({ value, onChange }: { value: string[]; onChange: (ids: string[]) => void }) {
  const params = { limit: 1000, page: 0 }
  const monitors = useQuery({ queryKey: monitorKeys.list({}, 1000, 0), queryFn: ({ signal }) => listMonitors(params, signal), staleTime: 30_000 })
  if (monitors.isPending) return <p className="text-sm text-muted-foreground">{t('common.loading')}</p>
  if (monitors.isError) return <p className="text-sm text-destructive">{errorMessage(monitors.error)}</p>
  if (monitors.data.items.length === 0) return <p className="text-sm text-muted-foreground">{t('maintenanceForm.noMonitors')}</p>
  return (
    <div className="grid max-h-64 gap-2 overflow-y-auto sm:grid-cols-2" data-field="monitor_ids">
      {monitors.data.items.map((m) => (
        <Checkbox key={m.id} label={m.name} checked={value.includes(m.id)} onChange={(e) => onChange(toggled(value, m.id, e.target.checked))} />
      ))}
    </div>
  )
}

export function MaintenanceForm({ initial, editing, cancelTo, onSubmit }: MaintenanceFormProps) {
  const [draft, setDraft] = useState(initial)
  const [submitted, setSubmitted] = useState(false)
  const [saving, setSaving] = useState(false)
  const [serverErrors, setServerErrors] = useState<FieldErrors>({})
  const [formError, setFormError] = useState<string | null>(null)
  const formRef = useRef<HTMLFormElement>(null)
  const zones = useMemo(() => {
    const all = timeZones()
    return all.includes(draft.timezone) ? all : [draft.timezone, ...all]
  }, [draft.timezone])

  const errors: FieldErrors = { ...(submitted ? validateMaintenance(draft) : {}), ...serverErrors }
  const shown = fieldsOf(draft.strategy)
  const update = (patch: Partial<MaintenanceDraft>) => {
    setDraft((current) => ({ ...current, ...patch }))
    if (Object.keys(serverErrors).length) setServerErrors({})
  }

  const submit = async (event: FormEvent) => {
    event.preventDefault()
    setSubmitted(true)
    setFormError(null)
    setServerErrors({})
    if (Object.keys(validateMaintenance(draft)).length > 0) {
      setFormError(t('form.fixErrors'))
      setTimeout(() => formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus())
      return
    }
    setSaving(true)
    try {
      await onSubmit(draft)
    } catch (error) {
      if (error instanceof ApiError && error.field) {
        setServerErrors({ [error.field]: error.message })
        setFormError(t('form.fixErrors'))
      } else setFormError(`${t('maintenanceForm.saveError')} ${errorMessage(error)}`)
    } finally {
      setSaving(false)
    }
  }

  const dateTime = (key: 'start_date_time' | 'end_date_time', label: string) => (
    <Field name={key} label={label} error={errors[key]}>
      {(control) => <Input {...control} type="datetime-local" value={draft[key]} onChange={(e) => update({ [key]: e.target.value })} />}
    </Field>
  )
  const time = (key: 'start_time' | 'end_time', label: string) => (
    <Field name={key} label={label} error={errors[key]}>
      {(control) => <Input {...control} type="time" value={draft[key]} onChange={(e) => update({ [key]: e.target.value })} />}
    </Field>
  )
  const monthDays: MonthDay[] = [...Array.from({ length: 31 }, (_, i) => i + 1), 'lastDay1']

  return (
    <form ref={formRef} onSubmit={submit} noValidate className="grid gap-6">
      {formError ? <Alert>{formError}</Alert> : null}
      <Card>
        <CardContent className="grid gap-8">
          <FormSection title={t('maintenanceForm.section.general')}>
            <Field name="title" label={t('maintenanceForm.title')} error={errors.title}>
              {(control) => <Input {...control} value={draft.title} autoComplete="off" onChange={(e) => update({ title: e.target.value })} />}
            </Field>
            <Field name="description" label={t('maintenanceForm.descriptionField')} error={errors.description}>
              {(control) => <Textarea {...control} className="font-sans text-sm" value={draft.description} onChange={(e) => update({ description: e.target.value })} />}
            </Field>
            <Checkbox label={t('maintenanceForm.active')} hint={t('maintenanceForm.activeHint')} checked={draft.active} onChange={(e) => update({ active: e.target.checked })} />
          </FormSection>

          <FormSection title={t('maintenanceForm.section.schedule')}>
            <div className="grid gap-4 sm:grid-cols-2">
              <Field name="strategy" label={t('maintenanceForm.strategy')} error={errors.strategy}>
                {(control) => (
                  <Select {...control} value={draft.strategy} onChange={(e) => update({ strategy: e.target.value as MaintenanceDraft['strategy'] })}>
                    {STRATEGIES.map((s) => (
                      <option key={s} value={s}>
                        {t(`maintenanceForm.strategy.${s}`)}
                      </option>
                    ))}
                  </Select>
                )}
              </Field>
              <Field name="timezone" label={t('maintenanceForm.timezone')} hint={t('maintenanceForm.timezoneHint')} error={errors.timezone}>
                {(control) => (
                  <Select {...control} value={draft.timezone} onChange={(e) => update({ timezone: e.target.value })}>
                    {zones.map((z) => (
                      <option key={z} value={z}>
                        {z}
                      </option>
                    ))}
                  </Select>
                )}
              </Field>
            </div>
            {draft.strategy === 'single' ? (
              <div className="grid gap-4 sm:grid-cols-2">
                {dateTime('start_date_time', t('maintenanceForm.start'))}
                {dateTime('end_date_time', t('maintenanceForm.end'))}
              </div>
            ) : null}
            {shown.has('start_time') ? (
              <div className="grid gap-4 sm:grid-cols-2">
                {time('start_time', t('maintenanceForm.startTime'))}
                {time('end_time', t('maintenanceForm.endTime'))}
                {crossesMidnight(draft) ? <p className="text-xs text-muted-foreground sm:col-span-2">{t('maintenanceForm.nextDay')}</p> : null}
              </div>
            ) : null}
            {shown.has('weekdays') ? (
              <Field name="weekdays" label={t('maintenanceForm.weekdays')} error={errors.weekdays}>
                {() => (
                  <div className="flex flex-wrap gap-3">
                    {WEEKDAY_KEYS.map((key, day) => (
                      <Checkbox key={key} label={t(key)} checked={draft.weekdays.includes(day)} onChange={(e) => update({ weekdays: toggled(draft.weekdays, day, e.target.checked) })} />
                    ))}
                  </div>
                )}
              </Field>
            ) : null}
            {shown.has('days_of_month') ? (
              <Field name="days_of_month" label={t('maintenanceForm.daysOfMonth')} hint={t('maintenanceForm.daysOfMonthHint')} error={errors.days_of_month}>
                {() => (
                  <div className="grid grid-cols-7 gap-1">
                    {monthDays.map((d) => {
                      const on = draft.days_of_month.includes(d)
                      return (
                        <Button
                          key={String(d)}
                          size="sm"
                          variant={on ? 'default' : 'outline'}
                          aria-pressed={on}
                          className={d === 'lastDay1' ? 'col-span-3' : undefined}
                          onClick={() => update({ days_of_month: toggled(draft.days_of_month, d, !on) })}
                        >
                          {d === 'lastDay1' ? t('maintenanceForm.lastDay') : d}
                        </Button>
                      )
                    })}
                  </div>
                )}
              </Field>
            ) : null}
            {shown.has('interval_day') ? (
              <div className="grid gap-4 sm:grid-cols-2">
                <Field name="interval_day" label={t('maintenanceForm.intervalDay')} error={errors.interval_day}>
                  {(control) => <NumberInput {...control} min={1} value={draft.interval_day} onValueChange={(v) => update({ interval_day: v })} />}
                </Field>
              </div>
            ) : null}
            {shown.has('cron') ? (
              <div className="grid gap-4 sm:grid-cols-2">
                <Field name="cron" label={t('maintenanceForm.cron')} hint={t('maintenanceForm.cronHint')} error={errors.cron}>
                  {(control) => <Input {...control} className="font-mono" value={draft.cron} onChange={(e) => update({ cron: e.target.value })} />}
                </Field>
                <Field name="duration" label={t('maintenanceForm.duration')} error={errors.duration}>
                  {(control) => <NumberInput {...control} min={1} value={draft.duration} onValueChange={(v) => update({ duration: v })} />}
                </Field>
              </div>
            ) : null}
            {draft.strategy !== 'single' && shown.has('start_date_time') ? (
              <div className="grid gap-4 sm:grid-cols-2">
                {dateTime('start_date_time', t(draft.strategy === 'recurring-interval' ? 'maintenanceForm.intervalStart' : 'maintenanceForm.rangeStart'))}
                {dateTime('end_date_time', t('maintenanceForm.rangeEnd'))}
              </div>
            ) : null}
          </FormSection>

          <FormSection title={t('maintenanceForm.section.preview')}>
            <Preview draft={draft} />
          </FormSection>

          <FormSection title={t('maintenanceForm.section.monitors')}>
            <p className="text-xs text-muted-foreground">{t('maintenanceForm.monitorsHint')}</p>
            {errors.monitor_ids ? <p className="text-xs text-destructive" role="alert">{errors.monitor_ids}</p> : null}
            <MonitorPicker value={draft.monitor_ids} onChange={(ids) => update({ monitor_ids: ids })} />
          </FormSection>
        </CardContent>
      </Card>
      <div className="flex flex-wrap justify-end gap-2">
        <Link to={cancelTo} className={buttonVariants({ variant: 'outline' })}>
          {t('common.cancel')}
        </Link>
        <Button type="submit" disabled={saving}>
          {saving ? t('maintenanceForm.saving') : editing ? t('maintenanceForm.update') : t('maintenanceForm.create')}
        </Button>
      </div>
    </form>
  )
}
