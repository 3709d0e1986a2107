/**
 * The shape every monitor type implements: its config (the JSON string in `Monitor.config`),
 * how to read and write it, how to validate it and the form that edits it. Adding a type is one
 * file in this folder plus one line in registry.ts.
 */
import type { ComponentType } from 'react'
import type { Monitor, MonitorCreate } from '@/api/types'
import type { MessageKey } from '@/i18n'
import type { FieldErrors } from '@/monitors/validation'

export interface TypeFormProps<C> {
  value: C
  onChange: (patch: Partial<C>) => void
  errors: FieldErrors
}

export interface MonitorTypeDefinition<C> {
  /** The API's type string. */
  type: string
  label: MessageKey
  description: MessageKey
  /**
   * The form state from a stored config object. Also used when switching type, with the old
   * type's state as `raw`, so shared fields (URL, method…) carry over.
   */
  fromConfig: (raw: Record<string, unknown>, monitor?: Partial<Pick<Monitor, 'push_token' | 'proxy_id'>>) => C
  /** The object serialised into `config`: only the keys this type's checker knows. */
  toConfig: (config: C) => Record<string, unknown>
  /** Top-level monitor fields the type owns (e.g. push_token). */
  monitorFields?: (config: C) => Partial<MonitorCreate>
  validate: (config: C) => FieldErrors
  /** Adjusts a copied config (e.g. a fresh push token). */
  forClone?: (config: C) => C
  Form: ComponentType<TypeFormProps<C>>
}

/** Identity helper that keeps each definition's config type checked. */
export function defineMonitorType<C>(definition: MonitorTypeDefinition<C>): MonitorTypeDefinition<C> {
  return definition
}

export function str(raw: Record<string, unknown>, key: string, fallback = ''): string {
  const value = raw[key]
  return typeof value === 'string' ? value : typeof value === 'number' ? String(value) : fallback
}

export function num(raw: Record<string, unknown>, key: string, fallback: number): number {
  const value = raw[key]
  if (typeof value === 'number' && Number.isFinite(value)) return value
  if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))) return Number(value)
  return fallback
}

export function bool(raw: Record<string, unknown>, key: string, fallback = false): boolean {
  const value = raw[key]
  return typeof value === 'boolean' ? value : fallback
}

export function oneOf<T extends string>(raw: Record<string, unknown>, key: string, allowed: readonly T[], fallback: T): T {
  const value = raw[key]
  return typeof value === 'string' && (allowed as readonly string[]).includes(value) ? (value as T) : fallback
}
