import { useQuery } from '@tanstack/react-query'
import { useCallback, useEffect, useMemo, useRef, useState, type FormEvent } from 'react'
import { Link } from 'react-router'
import { ApiError } from '@/api/client'
import { listMonitors, monitorKeys } from '@/api/monitors'
import { Alert } from '@/components/ui/alert'
import { Button, buttonVariants } from '@/components/ui/button'
import { Card, CardContent } from '@/components/ui/card'
import { Checkbox } from '@/components/ui/checkbox'
import { Field } from '@/components/ui/field'
import { Input, NumberInput, Select } from '@/components/ui/input'
import { t } from '@/i18n'
import { errorMessage } from '@/lib/errors'
import { switchType, validateDraft, type MonitorDraft } from './draft'
import { FormSection } from './FormSection'
import { NotificationChannels } from './NotificationChannels'
import { TagPicker } from './TagPicker'
import { findMonitorType, monitorTypes } from './types/registry'
import { COMMON_FIELD_NAMES, fieldOfServerError, suggestedTimeout, type FieldErrors, type MonitorLimits } from './validation'

interface MonitorFormProps {
  initial: MonitorDraft
  mode: 'create' | 'edit'
  limits: MonitorLimits
  cancelTo: string
  /** The edited monitor's id (it cannot depend on itself). */
  monitorId?: string
  /** Saves; a rejected ApiError with `field` is shown on that field. */
  onSubmit: (draft: MonitorDraft) => Promise<unknown>
}

type CommonNumberField =
  | 'interval'
  | 'timeout'
  | 'max_retries'
  | 'retry_interval'
  | 'resend_interval'
  | 'notify_after_failures'
  | 'notify_after_successes'

export function MonitorForm({ initial, mode, limits, cancelTo, monitorId, onSubmit }: MonitorFormProps) {
  const [draft, setDraft] = useState(initial)
  const [submitted, setSubmitted] = useState(false)
  const [saving, setSaving] = useState(false)
  const [serverErrors, setServerErrors] = useState<FieldErrors>({})
  const [formError, setFormError] = useState<string | null>(null)
  const [focusRequest, setFocusRequest] = useState(0)
  // The timeout follows the interval (0.8×) until the user sets it.
  const timeoutTouched = useRef(mode === 'edit')
  const formRef = useRef<HTMLFormElement>(null)

  const definition = findMonitorType(draft.type)
  const others = useQuery({
    queryKey: monitorKeys.list({}, 1000, 0),
    queryFn: ({ signal }) => listMonitors({ limit: 1000, page: 0 }, signal),
    staleTime: 30_000,
  })
  const groups = useQuery({
    queryKey: monitorKeys.list({ type: 'group' }, 1000, 0),
    queryFn: ({ signal }) => listMonitors({ type: 'group', limit: 1000, page: 0 }, signal),
    staleTime: 30_000,
  })
  const clientErrors = useMemo(() => (submitted ? validateDraft(draft, limits) : {}), [submitted, draft, limits])
  const errors: FieldErrors = { ...clientErrors, ...serverErrors }

  useEffect(() => {
    if (focusRequest === 0) return
    formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus()
  }, [focusRequest])

  const update = (patch: Partial<MonitorDraft>) => {
    setDraft((current) => ({ ...current, ...patch }))
    if (Object.keys(serverErrors).length) {
      const cleared = { ...serverErrors }
      for (const key of Object.keys(patch)) delete cleared[key]
      setServerErrors(cleared)
    }
  }

  const updateConfig = (patch: Record<string, unknown>) => {
    setDraft((current) => ({ ...current, config: { ...(current.config as object), ...patch } }))
    if (Object.keys(serverErrors).length) {
      const cleared = { ...serverErrors }
      for (const key of Object.keys(patch)) delete cleared[key]
      setServerErrors(cleared)
    }
  }

  const setNotifications = useCallback((ids: string[]) => setDraft((current) => ({ ...current, notification_ids: ids })), [])

  const setNumber = (field: CommonNumberField, value: number) => {
    if (field === 'timeout') timeoutTouched.current = true
    if (field === 'interval' && !timeoutTouched.current) update({ interval: value, timeout: suggestedTimeout(value) })
    else update({ [field]: value })
  }

  const submit = async (event: FormEvent) => {
    event.preventDefault()
    setSubmitted(true)
    setFormError(null)
    setServerErrors({})
    const found = validateDraft(draft, limits)
    if (Object.keys(found).length > 0) {
      setFormError(t('form.fixErrors'))
      setFocusRequest((n) => n + 1)
      return
    }
    setSaving(true)
    try {
      await onSubmit(draft)
    } catch (error) {
      const field = error instanceof ApiError ? fieldOfServerError(error.field) : undefined
      if (field && error instanceof ApiError) {
        setServerErrors({ [field]: error.message })
        const shown = (COMMON_FIELD_NAMES as readonly string[]).includes(field) || formRef.current?.querySelector(`[data-field="${field}"]`)
        setFormError(shown ? t('form.fixErrors') : `${t('form.saveError')} ${error.message}`)
        setFocusRequest((n) => n + 1)
      } else {
        setFormError(`${t('form.saveError')} ${errorMessage(error)}`)
      }
    } finally {
      setSaving(false)
    }
  }

  const numberField = (field: CommonNumberField, label: string, hint?: string, min = 0) => (
    <Field name={field} label={label} hint={hint} error={errors[field]}>
      {(control) => <NumberInput {...control} min={min} value={draft[field]} onValueChange={(value) => setNumber(field, value)} />}
    </Field>
  )

  const TypeForm = definition?.Form

  return (
    <form ref={formRef} onSubmit={submit} noValidate className="grid gap-6">
      {formError ? <Alert>{formError}</Alert> : null}
      <Card>
        <CardContent className="grid gap-8">
          <FormSection title={t('form.section.general')}>
            <div className="grid gap-4 sm:grid-cols-2">
              <Field name="type" label={t('form.type')} hint={definition ? t(definition.description) : undefined} error={errors.type}>
                {(control) => (
                  <Select {...control} value={draft.type} onChange={(event) => setDraft((current) => switchType(current, event.target.value))}>
                    {monitorTypes.map((type) => (
                      <option key={type.type} value={type.type}>
                        {t(type.label)}
                      </option>
                    ))}
                  </Select>
                )}
              </Field>
              <Field name="name" label={t('form.name')} error={errors.name}>
                {(control) => (
                  <Input {...control} value={draft.name} placeholder={t('form.namePlaceholder')} autoComplete="off" onChange={(event) => update({ name: event.target.value })} />
                )}
              </Field>
            </div>
            <Field name="parent_id" label={t('form.parent')} hint={t('form.parentHint')} error={errors.parent_id}>
              {(control) => (
                <Select {...control} value={draft.parent_id ?? ''} onChange={(event) => update({ parent_id: event.target.value || null })}>
                  <option value="">{t('form.parentNone')}</option>
                  {(groups.data?.items ?? []).map((g) => (
                    <option key={g.id} value={g.id}>
                      {g.name}
                    </option>
                  ))}
                </Select>
              )}
            </Field>
          </FormSection>

          {TypeForm ? <TypeForm value={draft.config} onChange={updateConfig} errors={errors} /> : null}

          <FormSection title={t('form.section.intervals')}>
            <div className="grid gap-4 sm:grid-cols-2">
              {numberField('interval', t('form.interval'), limits.known ? t('form.intervalHint', { min: limits.minInterval }) : t('form.intervalHintUnknown'), limits.minInterval)}
              {numberField('timeout', t('form.timeout'), t('form.timeoutHint'), 1)}
              {numberField('max_retries', t('form.maxRetries'), t('form.maxRetriesHint'))}
              {numberField('retry_interval', t('form.retryInterval'), undefined, limits.minInterval)}
              {numberField('resend_interval', t('form.resendInterval'), t('form.resendIntervalHint'))}
            </div>
            <Checkbox label={t('form.active')} checked={draft.active} onChange={(event) => update({ active: event.target.checked })} />
          </FormSection>

          <NotificationChannels value={draft.notification_ids} onChange={setNotifications} />

          <TagPicker value={draft.tags} onChange={(tags) => setDraft((current) => ({ ...current, tags }))} />

          <FormSection title={t('form.section.alerting')}>
            <div className="grid gap-4 sm:grid-cols-2">
              {numberField('notify_after_failures', t('form.notifyAfterFailures'), t('form.notifyAfterFailuresHint'), 1)}
              {numberField('notify_after_successes', t('form.notifyAfterSuccesses'), t('form.notifyAfterSuccessesHint'), 1)}
            </div>
            <Field name="depends_on" label={t('form.dependsOn')} hint={t('form.dependsOnHint')} error={errors.depends_on}>
              {(control) => (
                <Select {...control} value={draft.depends_on ?? ''} onChange={(event) => update({ depends_on: event.target.value || null })}>
                  <option value="">{t('form.dependsOnNone')}</option>
                  {(others.data?.items ?? [])
                    .filter((m) => m.id !== monitorId)
                    .map((m) => (
                      <option key={m.id} value={m.id}>
                        {m.name}
                      </option>
                    ))}
                </Select>
              )}
            </Field>
          </FormSection>
        </CardContent>
      </Card>
      <div className="flex flex-wrap justify-end gap-2">
        <Link to={cancelTo} className={buttonVariants({ variant: 'outline' })}>
          {t('common.cancel')}
        </Link>
        <Button type="submit" disabled={saving}>
          {saving ? t('form.saving') : mode === 'create' ? t('form.create') : t('form.update')}
        </Button>
      </div>
    </form>
  )
}
