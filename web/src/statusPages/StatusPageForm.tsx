/**
 * The create/edit form of a status page: identity (title, slug, description, icon), look
 * (theme, CSS, footer, toggles), access (published, password, custom domains) and layout
 * (loose monitors and sections, each ordered; a section can pull in every monitor of a tag).
 */
import { useQuery } from '@tanstack/react-query'
import { ArrowDown, ArrowUp, Plus, Trash2 } from 'lucide-react'
import { useMemo, useState, type FormEvent } from 'react'
import { Link } from 'react-router'
import { ApiError } from '@/api/client'
import { listMonitors, monitorKeys } from '@/api/monitors'
import type { Monitor } from '@/api/types'
import { Alert } from '@/components/ui/alert'
import { Button, buttonVariants } from '@/components/ui/button'
import { Card, CardContent } from '@/components/ui/card'
import { Checkbox } from '@/components/ui/checkbox'
import { Field } from '@/components/ui/field'
import { Input, Select, Textarea } from '@/components/ui/input'
import { t } from '@/i18n'
import { errorMessage } from '@/lib/errors'
import { FormSection } from '@/monitors/FormSection'
import type { FieldErrors } from '@/monitors/validation'
import { moveItem, sectionKey, slugify, usedMonitorIds, validateStatusPage, type StatusPageDraft } from './draft'
import { MonitorList } from './MonitorList'

interface StatusPageFormProps {
  initial: StatusPageDraft
  editing: boolean
  cancelTo: string
  onSubmit: (draft: StatusPageDraft) => Promise<unknown>
}

export function StatusPageForm({ initial, editing, cancelTo, onSubmit }: StatusPageFormProps) {
  const [draft, setDraft] = useState(initial)
  const [submitted, setSubmitted] = useState(false)
  const [saving, setSaving] = useState(false)
  const [serverErrors, setServerErrors] = useState<FieldErrors>({})
  const [formError, setFormError] = useState<string | null>(null)
  const [slugTouched, setSlugTouched] = useState(editing)
  const monitorsQuery = useQuery({
    queryKey: monitorKeys.list({}, 1000, 0),
    queryFn: ({ signal }) => listMonitors({ page: 0, limit: 1000 }, signal),
  })
  const monitors = useMemo(() => new Map<string, Monitor>((monitorsQuery.data?.items ?? []).map((m) => [m.id, m])), [monitorsQuery.data])
  const used = usedMonitorIds(draft)
  const errors: FieldErrors = { ...(submitted ? validateStatusPage(draft) : {}), ...serverErrors }

  const update = (patch: Partial<StatusPageDraft>) => {
    setDraft((d) => ({ ...d, ...patch }))
    if (Object.keys(serverErrors).length) setServerErrors({})
  }
  const updateSection = (i: number, patch: Partial<StatusPageDraft['sections'][number]>) =>
    update({ sections: draft.sections.map((s, j) => (j === i ? { ...s, ...patch } : s)) })

  const submit = async (event: FormEvent) => {
    event.preventDefault()
    setSubmitted(true)
    setFormError(null)
    if (Object.keys(validateStatusPage(draft)).length) {
      setFormError(t('form.fixErrors'))
      return
    }
    setSaving(true)
    try {
      await onSubmit(draft)
    } catch (error) {
      if (error instanceof ApiError && error.field && (error.status === 400 || error.status === 409)) {
        setServerErrors({ [error.field]: error.message })
        setFormError(`${t('statusPageForm.saveError')} ${error.field}: ${error.message}`)
      } else setFormError(`${t('statusPageForm.saveError')} ${errorMessage(error)}`)
    } finally {
      setSaving(false)
    }
  }

  return (
    <form onSubmit={submit} noValidate className="grid gap-6">
      {formError ? <Alert>{formError}</Alert> : null}
      <Card>
        <CardContent className="grid gap-8">
          <FormSection title={t('statusPageForm.section.general')}>
            <div className="grid gap-4 sm:grid-cols-2">
              <Field name="title" label={t('statusPageForm.title')} error={errors.title}>
                {(control) => (
                  <Input
                    {...control}
                    value={draft.title}
                    onChange={(event) => update({ title: event.target.value, ...(slugTouched ? {} : { slug: slugify(event.target.value) }) })}
                  />
                )}
              </Field>
              <Field name="slug" label={t('statusPageForm.slug')} hint={t('statusPageForm.slugHint', { slug: draft.slug || 'my-page' })} error={errors.slug}>
                {(control) => (
                  <Input
                    {...control}
                    value={draft.slug}
                    autoComplete="off"
                    onChange={(event) => {
                      setSlugTouched(true)
                      update({ slug: event.target.value })
                    }}
                  />
                )}
              </Field>
            </div>
            <Field name="description" label={t('statusPageForm.descriptionField')} error={errors.description}>
              {(control) => <Textarea {...control} rows={2} value={draft.description} onChange={(event) => update({ description: event.target.value })} />}
            </Field>
            <div className="grid gap-4 sm:grid-cols-2">
              <Field name="icon" label={t('statusPageForm.icon')} hint={t('statusPageForm.iconHint')} error={errors.icon}>
                {(control) => <Input {...control} value={draft.icon} placeholder="https://…/logo.png" onChange={(event) => update({ icon: event.target.value })} />}
              </Field>
              <Field name="theme" label={t('statusPageForm.theme')} error={errors.theme}>
                {(control) => (
                  <Select {...control} value={draft.theme} onChange={(event) => update({ theme: event.target.value })}>
                    <option value="light">{t('theme.light')}</option>
                    <option value="dark">{t('theme.dark')}</option>
                    <option value="auto">{t('theme.system')}</option>
                  </Select>
                )}
              </Field>
            </div>
          </FormSection>

          <FormSection title={t('statusPageForm.section.monitors')}>
            <MonitorList ids={draft.monitor_ids} monitors={monitors} used={used} label={t('statusPageForm.addMonitor')} onChange={(monitor_ids) => update({ monitor_ids })} />
            {errors.monitor_ids ? <p className="text-xs text-destructive">{errors.monitor_ids}</p> : null}
            {draft.sections.map((s, i) => (
              <div key={s.key} className="grid gap-3 rounded-md border p-3" data-field={`sections[${i}]`}>
                <div className="flex flex-wrap items-end gap-2">
                  <Field name={`sections[${i}].name`} label={t('statusPageForm.sectionName')} error={errors[`sections[${i}].name`]} className="min-w-40 flex-1">
                    {(control) => <Input {...control} value={s.name} onChange={(event) => updateSection(i, { name: event.target.value })} />}
                  </Field>
                  <Field name={`sections[${i}].tag_id`} label={t('statusPageForm.sectionTag')} error={errors[`sections[${i}].tag_id`]} className="min-w-40 flex-1">
                    {(control) => <Input {...control} value={s.tag_id} placeholder={t('statusPageForm.sectionTagPlaceholder')} onChange={(event) => updateSection(i, { tag_id: event.target.value })} />}
                  </Field>
                  <Button variant="ghost" size="icon" disabled={i === 0} aria-label={t('statusPageForm.moveUp', { name: s.name })} onClick={() => update({ sections: moveItem(draft.sections, i, -1) })}>
                    <ArrowUp aria-hidden="true" />
                  </Button>
                  <Button variant="ghost" size="icon" disabled={i === draft.sections.length - 1} aria-label={t('statusPageForm.moveDown', { name: s.name })} onClick={() => update({ sections: moveItem(draft.sections, i, 1) })}>
                    <ArrowDown aria-hidden="true" />
                  </Button>
                  <Button variant="ghost" size="icon" aria-label={t('statusPageForm.removeSection', { name: s.name })} onClick={() => update({ sections: draft.sections.filter((_, j) => j !== i) })}>
                    <Trash2 aria-hidden="true" />
                  </Button>
                </div>
                <MonitorList ids={s.monitor_ids} monitors={monitors} used={used} label={`${t('statusPageForm.addMonitor')} (${s.name})`} onChange={(monitor_ids) => updateSection(i, { monitor_ids })} />
                {errors[`sections[${i}].monitor_ids`] ? <p className="text-xs text-destructive">{errors[`sections[${i}].monitor_ids`]}</p> : null}
              </div>
            ))}
            <div>
              <Button variant="outline" onClick={() => update({ sections: [...draft.sections, { key: sectionKey(), name: '', tag_id: '', monitor_ids: [] }] })}>
                <Plus aria-hidden="true" />
                {t('statusPageForm.addSection')}
              </Button>
            </div>
          </FormSection>

          <FormSection title={t('statusPageForm.section.access')}>
            <Checkbox label={t('statusPageForm.published')} hint={t('statusPageForm.publishedHint')} checked={draft.published} onChange={(event) => update({ published: event.target.checked })} />
            <Field name="password" label={t('statusPageForm.password')} hint={draft.hasPassword ? t('statusPageForm.passwordSetHint') : t('statusPageForm.passwordHint')} error={errors.password}>
              {(control) => (
                <div className="grid gap-2 sm:grid-cols-[15rem_minmax(0,1fr)]">
                  <Select aria-label={t('statusPageForm.passwordAction')} value={draft.passwordAction} onChange={(event) => update({ passwordAction: event.target.value as StatusPageDraft['passwordAction'] })}>
                    <option value="keep">{draft.hasPassword ? t('statusPageForm.passwordKeep') : t('statusPageForm.passwordNone')}</option>
                    <option value="set">{t('statusPageForm.passwordSet')}</option>
                    {draft.hasPassword ? <option value="remove">{t('statusPageForm.passwordRemove')}</option> : null}
                  </Select>
                  {draft.passwordAction === 'set' ? (
                    <Input {...control} type="password" autoComplete="new-password" value={draft.password} onChange={(event) => update({ password: event.target.value })} />
                  ) : null}
                </div>
              )}
            </Field>
            <Field name="domains" label={t('statusPageForm.domains')} hint={t('statusPageForm.domainsHint')} error={errors.domains}>
              {(control) => <Textarea {...control} rows={2} spellCheck={false} value={draft.domains} placeholder="status.example.com" onChange={(event) => update({ domains: event.target.value })} />}
            </Field>
            <Checkbox label={t('statusPageForm.searchEngineIndex')} checked={draft.search_engine_index} onChange={(event) => update({ search_engine_index: event.target.checked })} />
          </FormSection>

          <FormSection title={t('statusPageForm.section.appearance')}>
            <Field name="auto_refresh_interval" label={t('statusPageForm.autoRefresh')} hint={t('statusPageForm.autoRefreshHint')} error={errors.auto_refresh_interval}>
              {(control) => <Input {...control} inputMode="numeric" value={draft.auto_refresh_interval} onChange={(event) => update({ auto_refresh_interval: event.target.value })} />}
            </Field>
            <Checkbox label={t('statusPageForm.showTags')} checked={draft.show_tags} onChange={(event) => update({ show_tags: event.target.checked })} />
            <Checkbox label={t('statusPageForm.showCertificateExpiry')} checked={draft.show_certificate_expiry} onChange={(event) => update({ show_certificate_expiry: event.target.checked })} />
            <Checkbox label={t('statusPageForm.showPoweredBy')} checked={draft.show_powered_by} onChange={(event) => update({ show_powered_by: event.target.checked })} />
            <Field name="footer_text" label={t('statusPageForm.footer')} error={errors.footer_text}>
              {(control) => <Textarea {...control} rows={2} value={draft.footer_text} onChange={(event) => update({ footer_text: event.target.value })} />}
            </Field>
            <Field name="custom_css" label={t('statusPageForm.css')} hint={t('statusPageForm.cssHint')} error={errors.custom_css}>
              {(control) => <Textarea {...control} rows={5} spellCheck={false} className="font-mono" value={draft.custom_css} onChange={(event) => update({ custom_css: event.target.value })} />}
            </Field>
          </FormSection>
        </CardContent>
      </Card>
      <div className="flex flex-wrap justify-end gap-2">
        <Link to={cancelTo} className={buttonVariants({ variant: 'outline' })}>
          {t('common.cancel')}
        </Link>
        <Button type="submit" disabled={saving}>
          {saving ? t('statusPageForm.saving') : editing ? t('statusPageForm.update') : t('statusPageForm.create')}
        </Button>
      </div>
    </form>
  )
}
