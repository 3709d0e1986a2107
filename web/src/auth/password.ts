/** The server's password policy (≥ 8 characters with upper, lower, digit and special), mirrored for instant feedback. */
import type { MessageKey } from '@/i18n'

export const PASSWORD_RULES: readonly { key: MessageKey; test: (password: string) => boolean }[] = [
  { key: 'auth.rule.length', test: (p) => [...p].length >= 8 },
  { key: 'auth.rule.upper', test: (p) => /\p{Lu}/u.test(p) },
  { key: 'auth.rule.lower', test: (p) => /\p{Ll}/u.test(p) },
  { key: 'auth.rule.digit', test: (p) => /\p{Nd}/u.test(p) },
  { key: 'auth.rule.special', test: (p) => /[^\p{L}\p{Nd}\s]/u.test(p) },
]

export function passwordIsStrong(password: string): boolean {
  return PASSWORD_RULES.every((rule) => rule.test(password))
}

export function emailLooksValid(email: string): boolean {
  return /^[^\s@]+@[^\s@]+$/.test(email.trim())
}
