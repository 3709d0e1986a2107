/**
 * The status page editor's state and its translation to and from the API: sections with
 * ordered monitors, domains typed one per line, and the write-only password (kept, set or
 * removed). Pure functions, unit-tested in draft.test.ts.
 */
import type { StatusPage, StatusPageCreate } from '@/api/types'
import { t } from '@/i18n'
import type { FieldErrors } from '@/monitors/validation'

export interface SectionDraft {
  /** Stable React key (sections get new ids on every save). */
  key: string
  name: string
  tag_id: string
  monitor_ids: string[]
}

export type PasswordAction = 'keep' | 'set' | 'remove'

export interface StatusPageDraft {
  slug: string
  title: string
  description: string
  icon: string
  theme: string
  published: boolean
  footer_text: string
  auto_refresh_interval: string
  custom_css: string
  hasPassword: boolean
  passwordAction: PasswordAction
  password: string
  search_engine_index: boolean
  show_tags: boolean
  show_powered_by: boolean
  show_certificate_expiry: boolean
  /** One custom domain per line. */
  domains: string
  monitor_ids: string[]
  sections: SectionDraft[]
}

let keySeq = 0
export function sectionKey(): string {
  keySeq += 1
  return `section-${keySeq}`
}

export function newStatusPageDraft(): StatusPageDraft {
  return {
    slug: '',
    title: '',
    description: '',
    icon: '',
    theme: 'light',
    published: true,
    footer_text: '',
    auto_refresh_interval: '300',
    custom_css: '',
    hasPassword: false,
    passwordAction: 'keep',
    password: '',
    search_engine_index: true,
    show_tags: false,
    show_powered_by: true,
    show_certificate_expiry: false,
    domains: '',
    monitor_ids: [],
    sections: [],
  }
}

export function draftFromStatusPage(p: StatusPage): StatusPageDraft {
  return {
    slug: p.slug,
    title: p.title,
    description: p.description,
    icon: p.icon,
    theme: p.theme,
    published: p.published,
    footer_text: p.footer_text,
    auto_refresh_interval: String(p.auto_refresh_interval),
    custom_css: p.custom_css,
    hasPassword: p.has_password,
    passwordAction: 'keep',
    password: '',
    search_engine_index: p.search_engine_index,
    show_tags: p.show_tags,
    show_powered_by: p.show_powered_by,
    show_certificate_expiry: p.show_certificate_expiry,
    domains: p.domains.join('\n'),
    monitor_ids: [...p.monitor_ids],
    sections: p.sections.map((s) => ({ key: sectionKey(), name: s.name, tag_id: s.tag_id ?? '', monitor_ids: [...s.monitor_ids] })),
  }
}

/** A slug suggestion from a title: `My Service!` → `my-service`. */
export function slugify(title: string): string {
  return title
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 100)
}

export function parseDomains(text: string): string[] {
  return text
    .split(/[\s,]+/)
    .map((d) => d.trim().toLowerCase())
    .filter(Boolean)
}

/** The list with the item at `index` moved by `delta` (clamped); the same list if it cannot move. */
export function moveItem<T>(list: readonly T[], index: number, delta: number): T[] {
  const target = index + delta
  if (index < 0 || index >= list.length || target < 0 || target >= list.length) return [...list]
  const next = [...list]
  const [item] = next.splice(index, 1)
  next.splice(target, 0, item as T)
  return next
}

/** Every monitor id already on the page (a monitor may appear once). */
export function usedMonitorIds(d: StatusPageDraft): Set<string> {
  return new Set([...d.monitor_ids, ...d.sections.flatMap((s) => s.monitor_ids)])
}

const SLUG = /^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/

/** The checks the server makes too, so most mistakes show before saving. */
export function validateStatusPage(d: StatusPageDraft): FieldErrors {
  const errors: FieldErrors = {}
  if (!d.title.trim()) errors.title = t('statusPageForm.required')
  if (!d.slug.trim()) errors.slug = t('statusPageForm.required')
  else if (!SLUG.test(d.slug.trim())) errors.slug = t('statusPageForm.slugInvalid')
  const refresh = Number(d.auto_refresh_interval)
  if (!Number.isInteger(refresh) || (refresh !== 0 && (refresh < 10 || refresh > 86400)))
    errors.auto_refresh_interval = t('statusPageForm.refreshInvalid')
  if (d.passwordAction === 'set' && !d.password) errors.password = t('statusPageForm.required')
  d.sections.forEach((s, i) => {
    if (!s.name.trim()) errors[`sections[${i}].name`] = t('statusPageForm.required')
  })
  return errors
}

/** The request body (for POST and PATCH alike). */
export function statusPageBody(d: StatusPageDraft): StatusPageCreate {
  const body: StatusPageCreate = {
    slug: d.slug.trim(),
    title: d.title.trim(),
    description: d.description,
    icon: d.icon.trim(),
    theme: d.theme,
    published: d.published,
    footer_text: d.footer_text,
    auto_refresh_interval: Number(d.auto_refresh_interval),
    custom_css: d.custom_css,
    search_engine_index: d.search_engine_index,
    show_tags: d.show_tags,
    show_powered_by: d.show_powered_by,
    show_certificate_expiry: d.show_certificate_expiry,
    domains: parseDomains(d.domains),
    monitor_ids: d.monitor_ids,
    sections: d.sections.map((s) => ({ name: s.name.trim(), monitor_ids: s.monitor_ids, tag_id: s.tag_id.trim() || undefined })),
  }
  if (d.passwordAction === 'set') body.password = d.password
  if (d.passwordAction === 'remove') body.password = ''
  return body
}
