import { Check, Copy } from 'lucide-react'
import { useState } from 'react'
import { Button } from '@/components/ui/button'
import { toast } from '@/components/ui/toast'
import { t } from '@/i18n'

/**
 * Copies `text` to the clipboard and says so; `label` names what is copied for screen readers,
 * `caption` (optional) tells sighted users apart several copy buttons in a row.
 */
export function CopyButton({ text, label, caption }: { text: string; label: string; caption?: string }) {
  const [copied, setCopied] = useState(false)
  return (
    <Button
      variant="outline"
      size={caption ? 'sm' : 'icon'}
      title={t('common.copy')}
      aria-label={`${t('common.copy')}: ${label}`}
      onClick={() => {
        navigator.clipboard.writeText(text).then(
          () => {
            setCopied(true)
            setTimeout(() => setCopied(false), 1500)
          },
          () => toast(t('security.copyFailed'), 'error'),
        )
      }}
    >
      {copied ? <Check aria-hidden="true" /> : <Copy aria-hidden="true" />}
      {caption ? <span aria-hidden="true">{caption}</span> : null}
    </Button>
  )
}
