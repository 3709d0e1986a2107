/** /auth: first-run setup, register, login (with TOTP), sign-out. */
import { data, http } from './client'
import { session } from './session'
import type { AuthSession, SetupState } from './types'

export const authKeys = {
  setup: ['auth', 'setup'] as const,
}

export function getSetupState(): Promise<SetupState> {
  return data(http.get<SetupState>('/auth/setup', { auth: false }))
}

export async function register(email: string, password: string): Promise<AuthSession> {
  const result = await data(http.post<AuthSession>('/auth/register', { email, password }, { auth: false }))
  session.set(result)
  return result
}

/** Throws ApiError with code "2fa_required" when a TOTP code is needed (or was wrong). */
export async function login(email: string, password: string, token?: string): Promise<AuthSession> {
  const body = token ? { email, password, token } : { email, password }
  const result = await data(http.post<AuthSession>('/auth/login', body, { auth: false }))
  session.set(result)
  return result
}

export function logout(): void {
  session.clear()
}
