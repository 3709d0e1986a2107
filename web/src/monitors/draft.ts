/**
 * The monitor form's state ("draft") and its conversions: from a stored monitor, to the API
 * body (config serialised as a JSON string), and across a change of type.
 */
import type { Monitor, MonitorCreate, MonitorTagLink } from '@/api/types'
import { t } from '@/i18n'
import { DEFAULT_MONITOR_TYPE, findMonitorType } from './types/registry'
import { compact, DEFAULT_LIMITS, validateCommon, type CommonFields, type FieldErrors, type MonitorLimits } from './validation'

export interface MonitorDraft extends CommonFields {
  type: string
  active: boolean
  /** The group this monitor belongs to (a `group` monitor's id). */
  parent_id: string | null
  /** A monitor this one sits behind: its DOWN folds this one's DOWN notices. */
  depends_on: string | null
  /** The type's form state (see MonitorTypeDefinition.fromConfig). */
  config: unknown
  /**
   * The channels this monitor notifies. `null` on a new monitor until the form knows the
   * channels (it then ticks the default ones); a body without the list gets the server's
   * defaults too.
   */
  notification_ids: string[] | null
  /** The monitor's tags, each with this monitor's value (may be empty). */
  tags: Required<MonitorTagLink>[]
}

export const DEFAULT_COMMON: CommonFields = {
  name: '',
  interval: 60,
  timeout: 48,
  max_retries: 0,
  retry_interval: 60,
  resend_interval: 0,
  notify_after_failures: 1,
  notify_after_successes: 1,
}

export { parseJsonObject as parseConfig } from '@/lib/json'
import { parseJsonObject as parseConfig } from '@/lib/json'

export function newDraft(type: string = DEFAULT_MONITOR_TYPE): MonitorDraft {
  const definition = findMonitorType(type) ?? findMonitorType(DEFAULT_MONITOR_TYPE)!
  return { ...DEFAULT_COMMON, type: definition.type, active: true, parent_id: null, depends_on: null, config: definition.fromConfig({}), notification_ids: null, tags: [] }
}

export function draftFromMonitor(monitor: Monitor, options: { clone?: boolean } = {}): MonitorDraft {
  const definition = findMonitorType(monitor.type)
  let config: unknown = parseConfig(monitor.config)
  if (definition) {
    config = definition.fromConfig(config as Record<string, unknown>, monitor)
    if (options.clone && definition.forClone) config = definition.forClone(config)
  }
  return {
    type: monitor.type,
    name: options.clone ? t('form.cloneName', { name: monitor.name }) : monitor.name,
    interval: monitor.interval,
    timeout: monitor.timeout,
    max_retries: monitor.max_retries,
    retry_interval: monitor.retry_interval,
    resend_interval: monitor.resend_interval,
    notify_after_failures: monitor.notify_after_failures ?? 1,
    notify_after_successes: monitor.notify_after_successes ?? 1,
    active: options.clone ? true : monitor.active,
    parent_id: monitor.parent_id ?? null,
    depends_on: monitor.depends_on ?? null,
    config,
    notification_ids: [...(monitor.notification_ids ?? [])],
    tags: (monitor.tags ?? []).map((tag) => ({ tag_id: tag.tag_id, value: tag.value })),
  }
}

/** Changes the type, carrying over the config fields both types share. */
export function switchType(draft: MonitorDraft, type: string): MonitorDraft {
  const definition = findMonitorType(type)
  if (!definition || draft.type === type) return draft
  const previous = typeof draft.config === 'object' && draft.config !== null ? (draft.config as Record<string, unknown>) : {}
  return { ...draft, type, config: definition.fromConfig(previous) }
}

export function validateDraft(draft: MonitorDraft, limits: MonitorLimits = DEFAULT_LIMITS): FieldErrors {
  const definition = findMonitorType(draft.type)
  return compact({ ...validateCommon(draft, limits), ...(definition ? definition.validate(draft.config) : {}) })
}

/** What the form always sends: every field, `config` serialised, relations explicit (the
 * channel list too, except on a new monitor whose form never loaded the channels). */
export type MonitorBody = MonitorCreate & Required<Pick<MonitorCreate, 'config' | 'tags'>>

export function draftToBody(draft: MonitorDraft, base?: Monitor): MonitorBody {
  const definition = findMonitorType(draft.type)
  if (!definition) throw new Error(`Unsupported monitor type: ${draft.type}`)
  const body: MonitorBody = {
    type: draft.type,
    name: draft.name.trim(),
    interval: draft.interval,
    timeout: draft.timeout,
    max_retries: draft.max_retries,
    retry_interval: draft.retry_interval,
    resend_interval: draft.resend_interval,
    notify_after_failures: draft.notify_after_failures,
    notify_after_successes: draft.notify_after_successes,
    active: draft.active,
    parent_id: draft.parent_id ?? undefined,
    depends_on: draft.depends_on ?? undefined,
    config: JSON.stringify(definition.toConfig(draft.config)),
    ...(draft.notification_ids ? { notification_ids: draft.notification_ids } : base ? { notification_ids: base.notification_ids ?? [] } : {}),
    tags: draft.tags.map((tag) => ({ tag_id: tag.tag_id, value: tag.value.trim() })),
    ...definition.monitorFields?.(draft.config),
  }
  // Types that edit the proxy (the HTTP family) say so through monitorFields; others keep it.
  if (base?.proxy_id && !('proxy_id' in body)) body.proxy_id = base.proxy_id
  return body
}
