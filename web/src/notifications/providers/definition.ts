/**
 * The shape every notification provider implements: how its config (the JSON string in
 * `NotificationChannel.config`) is read into form state and written back, how it is validated
 * and the form that edits it. Most providers are a list of declared fields (fields.ts) from
 * which `defineProvider` derives all four; a provider with rules the fields cannot express adds
 * a `check`, and one that needs a different layout its own `Form`. Adding a provider is one file
 * in this folder plus one line in registry.ts.
 */
import type { LucideIcon } from 'lucide-react'
import type { ComponentType } from 'react'
import type { MessageKey } from '@/i18n'
import { compact, type FieldErrors } from '@/monitors/validation'
import {
  decodeDefault,
  encodeDefault,
  fieldError,
  initialValue,
  isSecretField,
  isShown,
  type ProviderConfig,
  type ProviderField,
} from './fields'
import { ProviderFields } from './ProviderFields'

export interface ProviderFormProps {
  definition: NotificationProviderDefinition
  value: ProviderConfig
  onChange: (patch: ProviderConfig) => void
  errors: FieldErrors
}

export interface NotificationProviderDefinition {
  /** The API's `type` string. */
  type: string
  label: MessageKey
  description: MessageKey
  icon: LucideIcon
  fields: readonly ProviderField[]
  /** Keys whose values the server masks (password inputs here). */
  secretKeys: readonly string[]
  /** Form state from a stored config object (an empty object for a new channel). */
  fromConfig: (raw: Record<string, unknown>) => ProviderConfig
  /** The object serialised into `config`: exactly the keys this provider's server code reads. */
  toConfig: (config: ProviderConfig) => Record<string, unknown>
  /** Mirrors the server's rules; keys are config keys, like the server's `config.<key>` errors. */
  validate: (config: ProviderConfig) => FieldErrors
  Form: ComponentType<ProviderFormProps>
}

export interface ProviderDeclaration {
  type: string
  label: MessageKey
  description: MessageKey
  icon: LucideIcon
  fields: readonly ProviderField[]
  /** Rules the fields cannot express (run after the field checks; field errors win). */
  check?: (config: ProviderConfig) => FieldErrors
  /** A layout of its own; the default lists the fields (advanced ones folded away). */
  Form?: ComponentType<ProviderFormProps>
}

/** Builds a provider's definition from its declared fields. */
export function defineProvider(declaration: ProviderDeclaration): NotificationProviderDefinition {
  const { fields, check } = declaration
  return {
    ...declaration,
    secretKeys: fields.filter(isSecretField).map((f) => f.key),
    fromConfig: (raw) => {
      const out: ProviderConfig = {}
      for (const field of fields) out[field.key] = field.decode ? field.decode(raw[field.key]) : decodeDefault(field, raw[field.key])
      return out
    },
    toConfig: (config) => {
      const out: Record<string, unknown> = {}
      for (const field of fields) {
        const value = config[field.key] ?? initialValue(field)
        const encoded = field.encode ? field.encode(value) : encodeDefault(field, value)
        if (encoded !== undefined) out[field.key] = encoded
      }
      return out
    },
    validate: (config) => {
      const errors: FieldErrors = {}
      for (const field of fields) if (isShown(field, config)) errors[field.key] = fieldError(field, config)
      return compact({ ...(check ? check(config) : {}), ...compact(errors) })
    },
    Form: declaration.Form ?? ProviderFields,
  }
}
