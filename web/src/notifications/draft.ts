/**
 * The channel form's state ("draft") and its conversions: from a stored channel, to the API
 * bodies (config serialised as a JSON string) and across a change of provider.
 */
import { SECRET_MASK } from '@/api/notifications'
import type { NotificationChannel, NotificationChannelCreate, NotificationChannelTest } from '@/api/types'
import { t } from '@/i18n'
import { compact, NAME_MAX, type FieldErrors } from '@/monitors/validation'
import type { ProviderConfig } from './providers/fields'
import { DEFAULT_PROVIDER, findProvider } from './providers/registry'

export interface ChannelDraft {
  name: string
  type: string
  active: boolean
  is_default: boolean
  apply_existing: boolean
  /** The provider's form state. */
  config: ProviderConfig
  /** The config as JSON text, edited directly when the UI has no form for the provider. */
  rawConfig: string
}

export { parseJsonObject as parseConfig } from '@/lib/json'
import { parseJsonObject as parseConfig } from '@/lib/json'

export function newChannelDraft(type: string = DEFAULT_PROVIDER): ChannelDraft {
  const definition = findProvider(type) ?? findProvider(DEFAULT_PROVIDER)!
  return { name: '', type: definition.type, active: true, is_default: false, apply_existing: false, config: definition.fromConfig({}), rawConfig: '{}' }
}

export function draftFromChannel(channel: NotificationChannel): ChannelDraft {
  const raw = parseConfig(channel.config)
  const definition = findProvider(channel.type)
  return {
    name: channel.name,
    type: channel.type,
    active: channel.active,
    is_default: channel.is_default,
    apply_existing: false,
    config: definition ? definition.fromConfig(raw) : {},
    rawConfig: JSON.stringify(raw, null, 2),
  }
}

/**
 * Changes the provider, carrying over values under the same keys (webhook_url, username…).
 * Masked secrets do not carry: the server only restores them for the channel's own provider.
 */
export function switchProvider(draft: ChannelDraft, type: string): ChannelDraft {
  const next = findProvider(type)
  if (!next || draft.type === type) return draft
  const previous = findProvider(draft.type)
  const carried = previous ? previous.toConfig(draft.config) : parseConfig(draft.rawConfig)
  for (const [key, value] of Object.entries(carried)) if (value === SECRET_MASK) delete carried[key]
  return { ...draft, type, config: next.fromConfig(carried) }
}

function configObject(draft: ChannelDraft): Record<string, unknown> {
  const definition = findProvider(draft.type)
  return definition ? definition.toConfig(draft.config) : parseConfig(draft.rawConfig)
}

export function validateChannel(draft: ChannelDraft): FieldErrors {
  const name = draft.name.trim()
  const definition = findProvider(draft.type)
  let raw: string | undefined
  if (!definition) {
    try {
      const value: unknown = JSON.parse(draft.rawConfig || '{}')
      raw = typeof value === 'object' && value !== null && !Array.isArray(value) ? undefined : t('validation.jsonObject')
    } catch {
      raw = t('validation.json')
    }
  }
  return compact({
    name: !name ? t('validation.required') : name.length > NAME_MAX ? t('validation.nameMax', { max: NAME_MAX }) : undefined,
    config: raw,
    ...(definition ? definition.validate(draft.config) : {}),
  })
}

/** The POST/PUT body. */
export function channelBody(draft: ChannelDraft): NotificationChannelCreate {
  return {
    name: draft.name.trim(),
    type: draft.type,
    active: draft.active,
    is_default: draft.is_default,
    apply_existing: draft.apply_existing,
    config: JSON.stringify(configObject(draft)),
  }
}

/** The test body; with the saved channel's id, masked secrets are filled in by the server. */
export function testBody(draft: ChannelDraft, id?: string): NotificationChannelTest {
  return { id, name: draft.name.trim() || undefined, type: draft.type, config: JSON.stringify(configObject(draft)) }
}
