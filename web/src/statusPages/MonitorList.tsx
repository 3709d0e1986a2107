/** An ordered list of monitors with up/down/remove buttons and a select to add one not yet on the page. */
import { ArrowDown, ArrowUp, X } from 'lucide-react'
import type { Monitor } from '@/api/types'
import { Button } from '@/components/ui/button'
import { Select } from '@/components/ui/input'
import { t } from '@/i18n'
import { moveItem } from './draft'

interface MonitorListProps {
  ids: string[]
  monitors: Map<string, Monitor>
  /** Monitors already used anywhere on the page. */
  used: Set<string>
  label: string
  onChange: (ids: string[]) => void
}

export function MonitorList({ ids, monitors, used, label, onChange }: MonitorListProps) {
  const available = [...monitors.values()].filter((m) => !used.has(m.id))
  return (
    <div className="grid gap-2">
      {ids.length ? (
        <ol className="grid gap-1">
          {ids.map((id, i) => {
            const name = monitors.get(id)?.name ?? id
            return (
              <li key={id} className="flex items-center gap-2 rounded-md border px-2 py-1 text-sm">
                <span className="min-w-0 flex-1 truncate">{name}</span>
                <Button variant="ghost" size="icon" disabled={i === 0} aria-label={t('statusPageForm.moveUp', { name })} onClick={() => onChange(moveItem(ids, i, -1))}>
                  <ArrowUp aria-hidden="true" />
                </Button>
                <Button variant="ghost" size="icon" disabled={i === ids.length - 1} aria-label={t('statusPageForm.moveDown', { name })} onClick={() => onChange(moveItem(ids, i, 1))}>
                  <ArrowDown aria-hidden="true" />
                </Button>
                <Button variant="ghost" size="icon" aria-label={t('statusPageForm.removeMonitor', { name })} onClick={() => onChange(ids.filter((x) => x !== id))}>
                  <X aria-hidden="true" />
                </Button>
              </li>
            )
          })}
        </ol>
      ) : (
        <p className="text-xs text-muted-foreground">{t('statusPageForm.noMonitors')}</p>
      )}
      <Select
        aria-label={label}
        value=""
        disabled={available.length === 0}
        onChange={(event) => event.target.value && onChange([...ids, event.target.value])}
      >
        <option value="">{available.length ? t('statusPageForm.addMonitor') : t('statusPageForm.allMonitorsUsed')}</option>
        {available.map((m) => (
          <option key={m.id} value={m.id}>
            {m.name}
          </option>
        ))}
      </Select>
    </div>
  )
}
