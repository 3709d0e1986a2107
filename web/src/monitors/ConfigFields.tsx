/**
 * Small labelled controls for monitor-type forms whose fields are plain values: each takes its
 * config key (for the error the server or `validate` reports), its value and a setter.
 */
import { Field } from '@/components/ui/field'
import { Input, NumberInput, Select, Textarea } from '@/components/ui/input'
import type { FieldErrors } from '@/monitors/validation'

interface BaseProps {
  name: string
  label: string
  hint?: string
  errors: FieldErrors
}

export function TextConfigField({
  name,
  label,
  hint,
  errors,
  value,
  onChange,
  placeholder,
  secret = false,
}: BaseProps & { value: string; onChange: (value: string) => void; placeholder?: string; secret?: boolean }) {
  return (
    <Field name={name} label={label} hint={hint} error={errors[name]}>
      {(control) => (
        <Input
          {...control}
          type={secret ? 'password' : 'text'}
          autoComplete={secret ? 'new-password' : 'off'}
          spellCheck={false}
          value={value}
          placeholder={placeholder}
          onChange={(event) => onChange(event.target.value)}
        />
      )}
    </Field>
  )
}

export function PortConfigField({ name, label, hint, errors, value, onChange }: BaseProps & { value: number; onChange: (value: number) => void }) {
  return (
    <Field name={name} label={label} hint={hint} error={errors[name]}>
      {(control) => <NumberInput {...control} min={1} max={65535} value={value} onValueChange={onChange} />}
    </Field>
  )
}

export function TextAreaConfigField({
  name,
  label,
  hint,
  errors,
  value,
  onChange,
  placeholder,
  rows = 4,
}: BaseProps & { value: string; onChange: (value: string) => void; placeholder?: string; rows?: number }) {
  return (
    <Field name={name} label={label} hint={hint} error={errors[name]}>
      {(control) => (
        <Textarea {...control} rows={rows} spellCheck={false} value={value} placeholder={placeholder} onChange={(event) => onChange(event.target.value)} />
      )}
    </Field>
  )
}

export function SelectConfigField<T extends string>({
  name,
  label,
  hint,
  errors,
  value,
  options,
  onChange,
}: BaseProps & { value: T; options: readonly { value: T; label: string }[]; onChange: (value: T) => void }) {
  return (
    <Field name={name} label={label} hint={hint} error={errors[name]}>
      {(control) => (
        <Select {...control} value={value} onChange={(event) => onChange(event.target.value as T)}>
          {options.map((option) => (
            <option key={option.value} value={option.value}>
              {option.label}
            </option>
          ))}
        </Select>
      )}
    </Field>
  )
}

/** One entry per line (RabbitMQ nodes, Kafka brokers); blank lines are dropped on save. */
export function LinesConfigField({
  name,
  label,
  hint,
  errors,
  value,
  onChange,
  placeholder,
}: BaseProps & { value: string; onChange: (value: string) => void; placeholder?: string }) {
  return (
    <Field name={name} label={label} hint={hint} error={errors[name]}>
      {(control) => (
        <Textarea {...control} rows={3} spellCheck={false} value={value} placeholder={placeholder} onChange={(event) => onChange(event.target.value)} />
      )}
    </Field>
  )
}
