import { Copy, RefreshCw } from 'lucide-react'
import { useState } from 'react'
import { Button } from '@/components/ui/button'
import { toast } from '@/components/ui/toast'
import { t } from '@/i18n'
import { FormSection } from '@/monitors/FormSection'
import { compact } from '@/monitors/validation'
import { generatePushToken, pushUrl } from '@/monitors/pushToken'
import { defineMonitorType, str, type TypeFormProps } from './definition'

export interface PushConfig {
  pushToken: string
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
  )
}

export const push = defineMonitorType<PushConfig>({
  type: 'push',
  label: 'type.push',
  description: 'type.push.description',
  fromConfig: (raw, monitor) => ({ pushToken: monitor?.push_token || str(raw, 'pushToken') || generatePushToken() }),
  toConfig: (c) => ({ pushToken: c.pushToken }),
  monitorFields: (c) => ({ push_token: c.pushToken }),
  validate: (c) => compact({ pushToken: /^[A-Za-z0-9_-]{8,64}$/.test(c.pushToken) ? undefined : t('validation.pushToken') }),
  forClone: () => ({ pushToken: generatePushToken() }),
  Form: PushForm,
})
