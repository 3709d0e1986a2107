/**
 * The create/edit form of a notification channel: name, provider, active/default flags, the
 * provider's own fields, and a "Send test" that sends a real message with what is on screen.
 */
import { useEffect, useMemo, useRef, useState, type FormEvent } from 'react'
import { Link } from 'react-router'
import { ApiError } from '@/api/client'
import { testChannel } from '@/api/notifications'
import { Alert } from '@/components/ui/alert'
import { Button, buttonVariants } from '@/components/ui/button'
import { Card, CardContent } from '@/components/ui/card'
import { Checkbox } from '@/components/ui/checkbox'
import { Field } from '@/components/ui/field'
import { Input, Select, Textarea } from '@/components/ui/input'
import { t } from '@/i18n'
import { errorMessage } from '@/lib/errors'
import { FormSection } from '@/monitors/FormSection'
import { fieldOfServerError, type FieldErrors } from '@/monitors/validation'
import { switchProvider, testBody, validateChannel, type ChannelDraft } from './draft'
import type { ProviderConfig } from './providers/fields'
import { findProvider, providers } from './providers/registry'

interface ChannelFormProps {
  initial: ChannelDraft
  /** The saved channel's id (edit mode): tests then use its stored secrets. */
  channelId?: string
  cancelTo: string
  /** Saves; a rejected ApiError with `field` is shown on that field. */
  onSubmit: (draft: ChannelDraft) => Promise<unknown>
}

type TestResult = { ok: true; message: string } | { ok: false; message: string }

const GENERAL_FIELDS = ['name', 'type', 'config']

export function ChannelForm({ initial, channelId, cancelTo, onSubmit }: ChannelFormProps) {
  const [draft, setDraft] = useState(initial)
  const [submitted, setSubmitted] = useState(false)
  const [saving, setSaving] = useState(false)
  const [testing, setTesting] = useState(false)
  const [testResult, setTestResult] = useState<TestResult | null>(null)
  const [serverErrors, setServerErrors] = useState<FieldErrors>({})
  const [formError, setFormError] = useState<string | null>(null)
  const [focusRequest, setFocusRequest] = useState(0)
  const formRef = useRef<HTMLFormElement>(null)

  const definition = findProvider(draft.type)
  const clientErrors = useMemo(() => (submitted ? validateChannel(draft) : {}), [submitted, draft])
  const errors: FieldErrors = { ...clientErrors, ...serverErrors }

  useEffect(() => {
    if (focusRequest === 0) return
    formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus()
  }, [focusRequest])

  const clearServerErrors = (keys: string[]) => {
    if (!Object.keys(serverErrors).length) return
    const cleared = { ...serverErrors }
    for (const key of keys) delete cleared[key]
    setServerErrors(cleared)
  }

  const update = (patch: Partial<ChannelDraft>) => {
    setDraft((current) => ({ ...current, ...patch }))
    clearServerErrors(Object.keys(patch))
  }

  const updateConfig = (patch: ProviderConfig) => {
    setDraft((current) => ({ ...current, config: { ...current.config, ...patch } }))
    clearServerErrors(Object.keys(patch))
  }

  /** Client checks first; false (and the errors shown) when something is wrong. */
  const checked = (): boolean => {
    setSubmitted(true)
    setFormError(null)
    setServerErrors({})
    if (Object.keys(validateChannel(draft)).length > 0) {
      setFormError(t('form.fixErrors'))
      setFocusRequest((n) => n + 1)
      return false
    }
    return true
  }

  /** Puts a server validation error on its field; true when there was one. */
  const showServerError = (error: unknown, prefix: string): boolean => {
    const field = error instanceof ApiError && error.status === 400 ? fieldOfServerError(error.field) : undefined
    if (!field || !(error instanceof ApiError)) return false
    setServerErrors({ [field]: error.message })
    const shown = GENERAL_FIELDS.includes(field) || formRef.current?.querySelector(`[data-field="${field}"]`)
    setFormError(shown ? t('form.fixErrors') : `${prefix} ${error.message}`)
    setFocusRequest((n) => n + 1)
    return true
  }

  const submit = async (event: FormEvent) => {
    event.preventDefault()
    if (!checked()) return
    setSaving(true)
    try {
      await onSubmit(draft)
    } catch (error) {
      if (!showServerError(error, t('channelForm.saveError'))) setFormError(`${t('channelForm.saveError')} ${errorMessage(error)}`)
    } finally {
      setSaving(false)
    }
  }

  const sendTest = async () => {
    setTestResult(null)
    if (!checked()) return
    setTesting(true)
    try {
      await testChannel(testBody(draft, channelId))
      setTestResult({ ok: true, message: t('channelForm.testOk') })
    } catch (error) {
      if (!showServerError(error, t('channelForm.testFailed'))) setTestResult({ ok: false, message: errorMessage(error) })
    } finally {
      setTesting(false)
    }
  }

  const ProviderForm = definition?.Form

  return (
    <form ref={formRef} onSubmit={submit} noValidate className="grid gap-6">
      {formError ? <Alert>{formError}</Alert> : null}
      <Card>
        <CardContent className="grid gap-8">
          <FormSection title={t('channelForm.section.general')}>
            <div className="grid gap-4 sm:grid-cols-2">
              <Field name="type" label={t('channelForm.provider')} hint={definition ? t(definition.description) : undefined} error={errors.type}>
                {(control) => (
                  <Select {...control} value={draft.type} onChange={(event) => update(switchProvider(draft, event.target.value))}>
                    {definition ? null : <option value={draft.type}>{draft.type}</option>}
                    {providers.map((provider) => (
                      <option key={provider.type} value={provider.type}>
                        {t(provider.label)}
                      </option>
                    ))}
                  </Select>
                )}
              </Field>
              <Field name="name" label={t('channelForm.name')} error={errors.name}>
                {(control) => (
                  <Input {...control} value={draft.name} placeholder={t('channelForm.namePlaceholder')} autoComplete="off" onChange={(event) => update({ name: event.target.value })} />
                )}
              </Field>
            </div>
            <Checkbox label={t('channelForm.active')} hint={t('channelForm.activeHint')} checked={draft.active} onChange={(event) => update({ active: event.target.checked })} />
            <Checkbox label={t('channelForm.default')} hint={t('channelForm.defaultHint')} checked={draft.is_default} onChange={(event) => update({ is_default: event.target.checked })} />
            <Checkbox
              label={t('channelForm.applyExisting')}
              hint={t('channelForm.applyExistingHint')}
              checked={draft.apply_existing}
              onChange={(event) => update({ apply_existing: event.target.checked })}
            />
          </FormSection>

          <FormSection title={t('channelForm.section.provider', { provider: definition ? t(definition.label) : draft.type })}>
            {definition && ProviderForm ? (
              <ProviderForm definition={definition} value={draft.config} onChange={updateConfig} errors={errors} />
            ) : (
              <Field name="config" label={t('channelForm.rawConfig')} hint={t('channelForm.rawConfigHint', { type: draft.type })} error={errors.config}>
                {(control) => (
                  <Textarea {...control} rows={8} spellCheck={false} value={draft.rawConfig} onChange={(event) => update({ rawConfig: event.target.value })} />
                )}
              </Field>
            )}
          </FormSection>
        </CardContent>
      </Card>

      {testResult ? (
        <div data-testid="test-result" data-outcome={testResult.ok ? 'ok' : 'error'}>
          {testResult.ok ? (
            <Alert tone="info" className="border-status-up/40 bg-status-up/10">
              {testResult.message}
            </Alert>
          ) : (
            <Alert title={t('channelForm.testFailed')}>{testResult.message}</Alert>
          )}
        </div>
      ) : null}

      <div className="flex flex-wrap items-center justify-between gap-2">
        <Button variant="outline" onClick={() => void sendTest()} disabled={testing}>
          {testing ? t('channelForm.testing') : t('channelForm.test')}
        </Button>
        <div className="flex flex-wrap gap-2">
          <Link to={cancelTo} className={buttonVariants({ variant: 'outline' })}>
            {t('common.cancel')}
          </Link>
          <Button type="submit" disabled={saving}>
            {saving ? t('channelForm.saving') : channelId ? t('channelForm.update') : t('channelForm.create')}
          </Button>
        </div>
      </div>
    </form>
  )
}
