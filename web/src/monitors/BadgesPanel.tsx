import { useState } from 'react'
import { useQuery } from '@tanstack/react-query'
import { getBadgeExposure } from '@/api/monitors'
import { Card, CardContent, CardHeader, CardTitle } from '@/components/ui/card'
import { Select } from '@/components/ui/input'
import { t, type MessageKey } from '@/i18n'
import { BADGE_KINDS, BADGE_STYLES, type BadgeKind, type BadgeStyle, badgeMarkdown, badgeUrl } from '@/security/apiKeys'
import { CopyButton } from '@/security/CopyButton'

/** Badge URLs and Markdown of one monitor. Badges are public once the monitor is on a published status page. */
export function BadgesPanel({ monitorId, monitorName }: { monitorId: string; monitorName: string }) {
  const [style, setStyle] = useState<BadgeStyle>('flat')
  // Previews only when the server serves them: an image of a monitor that is not public
  // would be a 404 per badge.
  const exposure = useQuery({
    queryKey: ['monitors', monitorId, 'badges'],
    queryFn: ({ signal }) => getBadgeExposure(monitorId, signal),
  })
  const isPublic = exposure.data?.public === true
  const origin = window.location.origin
  return (
    <Card>
      <CardHeader className="flex flex-row flex-wrap items-center justify-between gap-2">
        <CardTitle>{t('badges.title')}</CardTitle>
        <Select aria-label={t('badges.style')} className="w-auto" value={style} onChange={(e) => setStyle(e.target.value as BadgeStyle)}>
          {BADGE_STYLES.map((s) => (
            <option key={s} value={s}>
              {s}
            </option>
          ))}
        </Select>
      </CardHeader>
      <CardContent className="grid min-w-0 grid-cols-[minmax(0,1fr)] gap-3">
        <p className="text-sm text-muted-foreground">{t('badges.description')}</p>
        {exposure.data && !isPublic && (
          <p className="text-sm text-muted-foreground" data-testid="badges-not-public">
            {t('badges.notPublic')}
          </p>
        )}
        <ul className="grid min-w-0 grid-cols-[minmax(0,1fr)] gap-3">
          {BADGE_KINDS.map((kind: BadgeKind) => {
            const url = badgeUrl(origin, monitorId, kind, style, kind === 'uptime' || kind === 'ping' || kind === 'sparkline' ? 24 : undefined)
            const markdown = badgeMarkdown(url, `${monitorName} ${t(`badges.kind.${kind}` as MessageKey)}`)
            return (
              <li key={kind} className="grid min-w-0 gap-1.5" data-badge={kind}>
                <div className="flex flex-wrap items-center gap-3">
                  <span className="w-40 text-sm font-medium">{t(`badges.kind.${kind}` as MessageKey)}</span>
                  {isPublic && (
                    <img src={url} alt="" loading="lazy" className="h-5" onError={(e) => (e.currentTarget.hidden = true)} />
                  )}
                </div>
                <div className="flex min-w-0 items-center gap-2">
                  <code className="min-w-0 flex-1 truncate rounded-md bg-muted px-2 py-1 font-mono text-xs" title={markdown}>
                    {markdown}
                  </code>
                  <CopyButton text={markdown} label={t('badges.copyMarkdown', { kind })} caption="MD" />
                  <CopyButton text={url} label={t('badges.copyUrl', { kind })} caption="URL" />
                </div>
              </li>
            )
          })}
        </ul>
      </CardContent>
    </Card>
  )
}
