/** Form fields shared by the network monitor types. */
import { Field } from '@/components/ui/field'
import { Input, NumberInput, Textarea } from '@/components/ui/input'
import { t, type MessageKey } from '@/i18n'
import type { TypeFormProps } from '@/monitors/types/definition'

type Props<C> = TypeFormProps<C>

export function TextInput<C>({
  name,
  label,
  hint,
  placeholder,
  props,
}: {
  name: keyof C & string
  label: MessageKey
  hint?: MessageKey
  placeholder?: string
  props: Props<C>
}) {
  return (
    <Field name={name} label={t(label)} hint={hint ? t(hint) : undefined} error={props.errors[name]}>
      {(control) => (
        <Input
          {...control}
          autoComplete="off"
          spellCheck={false}
          placeholder={placeholder}
          value={String(props.value[name] ?? '')}
          onChange={(event) => props.onChange({ [name]: event.target.value } as Partial<C>)}
        />
      )}
    </Field>
  )
}

export function NumberField<C>({
  name,
  label,
  hint,
  min,
  max,
  step = 1,
  props,
}: {
  name: keyof C & string
  label: MessageKey
  hint?: MessageKey
  min: number
  max: number
  step?: number
  props: Props<C>
}) {
  return (
    <Field name={name} label={t(label)} hint={hint ? t(hint) : undefined} error={props.errors[name]}>
      {(control) => (
        <NumberInput
          {...control}
          min={min}
          max={max}
          step={step}
          inputMode={step < 1 ? 'decimal' : 'numeric'}
          value={Number(props.value[name])}
          onValueChange={(value) => props.onChange({ [name]: value } as Partial<C>)}
        />
      )}
    </Field>
  )
}

/** Host and port side by side, the port field sized for five digits. */
export function HostPort<C extends { host: string; port: number }>({ props, hostHint }: { props: Props<C>; hostHint?: MessageKey }) {
  return (
    <div className="grid gap-4 sm:grid-cols-[1fr_9rem]">
      <TextInput<C> name="host" label="tcp.host" hint={hostHint} placeholder="example.com" props={props} />
      <NumberField<C> name="port" label="tcp.port" min={1} max={65535} props={props} />
    </div>
  )
}

/** Extra trusted CA certificates (PEM). */
export function CaField<C extends { ca: string }>({ props }: { props: Props<C> }) {
  return (
    <Field name="ca" label={t('net.ca')} hint={t('net.caHint')} error={props.errors.ca}>
      {(control) => (
        <Textarea
          {...control}
          rows={4}
          spellCheck={false}
          placeholder="-----BEGIN CERTIFICATE-----"
          value={props.value.ca}
          onChange={(event) => props.onChange({ ca: event.target.value } as Partial<C>)}
        />
      )}
    </Field>
  )
}
