import { Monitor, Moon, Sun } from 'lucide-react'
import { Button } from '@/components/ui/button'
import { t } from '@/i18n'
import { setThemePreference, useThemePreference, type ThemePreference } from '@/lib/theme'

const ORDER: ThemePreference[] = ['system', 'light', 'dark']
const ICONS = { system: Monitor, light: Sun, dark: Moon } as const

/** Cycles system → light → dark; the label says which is active. */
export function ThemeToggle() {
  const preference = useThemePreference()
  const Icon = ICONS[preference]
  const next = ORDER[(ORDER.indexOf(preference) + 1) % ORDER.length]!
  const label = t('theme.label', { mode: t(`theme.${preference}`) })
  return (
    <Button variant="ghost" size="icon" aria-label={label} title={label} onClick={() => setThemePreference(next)} data-theme-pref={preference}>
      <Icon />
    </Button>
  )
}
