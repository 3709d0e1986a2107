/**
 * The generic provider form: each declared field as its control, in order, with the advanced
 * ones (base-URL overrides) folded under a disclosure. Secrets are password inputs that keep
 * the server's `********` until the user types a new value.
 */
import { ChevronRight } from 'lucide-react'
import { useState } from 'react'
import { SECRET_MASK } from '@/api/notifications'
import { Checkbox } from '@/components/ui/checkbox'
import { Field } from '@/components/ui/field'
import { Input, Select, Textarea } from '@/components/ui/input'
import { t } from '@/i18n'
import type { FieldErrors } from '@/monitors/validation'
import type { ProviderFormProps } from './definition'
import { isRequired, isSecretField, isShown, TEMPLATE_BINDINGS, type ProviderConfig, type ProviderField } from './fields'

export function TemplateHelp() {
  return (
    <span>
      {t('notify.templateHelp')}{' '}
      {TEMPLATE_BINDINGS.map((binding, index) => (
        <span key={binding}>
          {index > 0 ? ', ' : null}
          <code className="rounded bg-muted px-1 font-mono">{`{{ ${binding} }}`}</code>
        </span>
      ))}
      {'. '}
      {t('notify.templateExample')}
    </span>
  )
}

interface ControlProps {
  field: ProviderField
  value: ProviderConfig
  onChange: (patch: ProviderConfig) => void
  errors: FieldErrors
}

function FieldControl({ field, value, onChange, errors }: ControlProps) {
  const current = value[field.key]
  const text = typeof current === 'string' ? current : ''
  const set = (next: string | boolean) => onChange({ [field.key]: next })

  if (field.kind === 'boolean') {
    return (
      <div data-field={field.key}>
        <Checkbox
          label={t(field.label)}
          hint={field.hint ? t(field.hint) : undefined}
          checked={current === true}
          onChange={(event) => set(event.target.checked)}
        />
      </div>
    )
  }

  const stored = isSecretField(field) && text === SECRET_MASK
  const hint =
    field.kind === 'template' ? (
      <>
        {field.hint ? <>{t(field.hint)} </> : null}
        <TemplateHelp />
      </>
    ) : stored ? (
      t('notify.secretStored')
    ) : field.hint ? (
      t(field.hint)
    ) : undefined
  // A select always has a value, so only free-form fields say whether they may stay empty.
  const label = isRequired(field, value) || field.kind === 'select' ? t(field.label) : t('notify.optional', { label: t(field.label) })

  return (
    <Field name={field.key} label={label} hint={hint} error={errors[field.key]}>
      {(control) => {
        if (field.kind === 'select') {
          return (
            <Select {...control} value={text} onChange={(event) => set(event.target.value)}>
              {(field.options ?? []).map((option) => (
                <option key={option.value} value={option.value}>
                  {t(option.label)}
                </option>
              ))}
            </Select>
          )
        }
        if (field.kind === 'textarea' || field.kind === 'template' || field.kind === 'json-object') {
          return (
            <Textarea
              {...control}
              rows={field.kind === 'template' ? 5 : 3}
              spellCheck={false}
              value={text}
              placeholder={field.placeholder}
              onChange={(event) => set(event.target.value)}
            />
          )
        }
        const secret = isSecretField(field)
        return (
          <Input
            {...control}
            type={secret ? 'password' : field.kind === 'number' ? 'number' : field.kind === 'email' ? 'email' : 'text'}
            inputMode={field.kind === 'number' ? 'numeric' : field.kind === 'e164' ? 'tel' : undefined}
            min={field.min}
            max={field.max}
            autoComplete={secret ? 'new-password' : 'off'}
            spellCheck={false}
            value={text}
            placeholder={field.placeholder}
            // Typing into a stored secret replaces it rather than appending to the mask.
            onFocus={secret && stored ? (event) => event.currentTarget.select() : undefined}
            onChange={(event) => set(event.target.value)}
          />
        )
      }}
    </Field>
  )
}

export function ProviderFields({ definition, value, onChange, errors }: ProviderFormProps) {
  const shown = definition.fields.filter((field) => isShown(field, value))
  const basic = shown.filter((field) => !field.advanced)
  const advanced = shown.filter((field) => field.advanced)
  // The advanced part starts open when something in it is set, and opens when something in it is
  // wrong, so nothing is hidden by surprise.
  const [open, setOpen] = useState(() => advanced.some((field) => typeof value[field.key] === 'string' && value[field.key] !== ''))
  const advancedError = advanced.some((field) => Boolean(errors[field.key]))
  return (
    <div className="grid gap-4">
      {basic.map((field) => (
        <FieldControl key={field.key} field={field} value={value} onChange={onChange} errors={errors} />
      ))}
      {advanced.length > 0 ? (
        <details className="group rounded-md border px-3 py-2" open={open || advancedError} onToggle={(event) => setOpen(event.currentTarget.open)}>
          <summary className="flex cursor-pointer list-none items-center gap-1 text-sm font-medium text-muted-foreground">
            <ChevronRight className="size-4 transition-transform group-open:rotate-90" aria-hidden="true" />
            {t('notify.advanced')}
          </summary>
          <div className="mt-3 grid gap-4 pb-2">
            {advanced.map((field) => (
              <FieldControl key={field.key} field={field} value={value} onChange={onChange} errors={errors} />
            ))}
          </div>
        </details>
      ) : null}
    </div>
  )
}
