import { Copy, RefreshCw } from 'lucide-react'
import { useState } from 'react'
import { Button } from '@/components/ui/button'
import { Field } from '@/components/ui/field'
import { Input, NumberInput } from '@/components/ui/input'
import { toast } from '@/components/ui/toast'
import { t } from '@/i18n'
import { FormSection } from '@/monitors/FormSection'
import { compact } from '@/monitors/validation'
import { generatePushToken, pushUrl } from '@/monitors/pushToken'
import { defineMonitorType, num, str, type TypeFormProps } from './definition'

export interface PushConfig {
  pushToken: string
  cron: string
  grace: number
  timezone: string
  /** NaN when unset. */
  min_duration: number
  max_duration: number
}

const TIME_ZONES: readonly string[] = (() => {
  try {
    return (Intl as unknown as { supportedValuesOf?: (key: string) => string[] }).supportedValuesOf?.('timeZone') ?? ['UTC']
  } catch {
    return ['UTC']
  }
})()

function optionalSeconds(value: number): number | undefined {
  return Number.isFinite(value) ? value : undefined
}

function validatePush(c: PushConfig) {
  const fields = c.cron.trim().split(/\s+/).filter(Boolean)
  const min = optionalSeconds(c.min_duration)
  const max = optionalSeconds(c.max_duration)
  return compact({
    pushToken: /^[A-Za-z0-9_-]{8,64}$/.test(c.pushToken) ? undefined : t('validation.pushToken'),
    cron: c.cron.trim() === '' || fields.length === 5 || fields.length === 6 ? undefined : t('validation.cron'),
    grace: Number.isInteger(c.grace) && c.grace >= 0 && c.grace <= 604800 ? undefined : t('validation.max', { max: 604800 }),
    timezone: c.cron.trim() === '' || TIME_ZONES.includes(c.timezone) || c.timezone === 'UTC' ? undefined : t('validation.timezone'),
    min_duration: min !== undefined && max !== undefined && min > max ? t('validation.minMax') : undefined,
  })
}

function PushForm({ value, onChange, errors }: TypeFormProps<PushConfig>) {
  const [copied, setCopied] = useState(false)
  const url = pushUrl(value.pushToken)
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(url)
      setCopied(true)
      setTimeout(() => setCopied(false), 1500)
    } catch {
      // Clipboard needs a secure context; the URL is selectable as a fallback.
    }
  }
  return (
    <>
    <FormSection title={t('push.url')}>
      <p className="text-sm text-muted-foreground">{t('push.urlHint')}</p>
      <output
        data-testid="push-url"
        className="block rounded-md border bg-muted px-3 py-2 font-mono text-xs break-all select-all"
        aria-label={t('push.url')}
      >
        {url}
      </output>
      {errors.pushToken || errors.push_token ? (
        <p className="text-xs text-destructive" role="alert">
          {errors.pushToken ?? errors.push_token}
        </p>
      ) : null}
      <div className="flex flex-wrap gap-2">
        <Button variant="outline" size="sm" onClick={copy}>
          <Copy aria-hidden="true" />
          {copied ? t('common.copied') : t('common.copy')}
        </Button>
        <Button
          variant="secondary"
          size="sm"
          onClick={() => {
            onChange({ pushToken: generatePushToken() })
            toast(t('push.regenerated'), 'info')
          }}
        >
          <RefreshCw aria-hidden="true" />
          {t('push.regenerate')}
        </Button>
      </div>
    </FormSection>
    <FormSection title={t('push.schedule')}>
      <p className="text-sm text-muted-foreground">{t('push.scheduleHint')}</p>
      <div className="grid gap-4 sm:grid-cols-2">
        <Field name="cron" label={t('push.cron')} hint={t('push.cronHint')} error={errors.cron}>
          {(control) => <Input {...control} value={value.cron} placeholder="0 3 * * *" onChange={(event) => onChange({ cron: event.target.value })} />}
        </Field>
        <Field name="timezone" label={t('push.timezone')} error={errors.timezone}>
          {(control) => (
            <>
              <Input {...control} list="push-time-zones" value={value.timezone} onChange={(event) => onChange({ timezone: event.target.value })} />
              <datalist id="push-time-zones">
                {TIME_ZONES.map((zone) => (
                  <option key={zone} value={zone} />
                ))}
              </datalist>
            </>
          )}
        </Field>
        <Field name="grace" label={t('push.grace')} hint={t('push.graceHint')} error={errors.grace}>
          {(control) => <NumberInput {...control} min={0} value={value.grace} onValueChange={(grace) => onChange({ grace })} />}
        </Field>
        <div />
        <Field name="min_duration" label={t('push.minDuration')} hint={t('push.durationHint')} error={errors.min_duration}>
          {(control) => <NumberInput {...control} min={0} value={value.min_duration} onValueChange={(min_duration) => onChange({ min_duration })} />}
        </Field>
        <Field name="max_duration" label={t('push.maxDuration')} error={errors.max_duration}>
          {(control) => <NumberInput {...control} min={0} value={value.max_duration} onValueChange={(max_duration) => onChange({ max_duration })} />}
        </Field>
      </div>
    </FormSection>
    </>
  )
}

export const push = defineMonitorType<PushConfig>({
  type: 'push',
  label: 'type.push',
  description: 'type.push.description',
  fromConfig: (raw, monitor) => ({
    pushToken: monitor?.push_token || str(raw, 'pushToken') || generatePushToken(),
    cron: str(raw, 'cron'),
    grace: num(raw, 'grace', 60),
    timezone: str(raw, 'timezone') || Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC',
    min_duration: num(raw, 'min_duration', Number.NaN),
    max_duration: num(raw, 'max_duration', Number.NaN),
  }),
  toConfig: (c) => ({
    pushToken: c.pushToken,
    ...(c.cron.trim() ? { cron: c.cron.trim(), timezone: c.timezone, grace: c.grace } : {}),
    ...(optionalSeconds(c.min_duration) !== undefined ? { min_duration: c.min_duration } : {}),
    ...(optionalSeconds(c.max_duration) !== undefined ? { max_duration: c.max_duration } : {}),
  }),
  monitorFields: (c) => ({ push_token: c.pushToken }),
  validate: validatePush,
  forClone: (c) => ({ ...c, pushToken: generatePushToken() }),
  Form: PushForm,
})
