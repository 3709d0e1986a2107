/**
 * The one place UI strings come from. `t('key', { n: 3 })` looks the key up in the active
 * catalog and fills `{n}` placeholders. Only English exists today; another language is another
 * catalog of the same keys (TypeScript checks completeness via `Catalog`).
 */
import { en } from './en'

export type MessageKey = keyof typeof en
export type Catalog = Record<MessageKey, string>

const active: Catalog = en

export function t(key: MessageKey, params?: Record<string, string | number>): string {
  const template = active[key] ?? key
  if (!params) return template
  return template.replace(/\{(\w+)\}/g, (whole, name: string) =>
    name in params ? String(params[name]) : whole,
  )
}
