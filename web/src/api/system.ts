/** Unauthenticated system endpoints. */
import { data, http } from './client'
import type { VersionInfo } from './types'

export const systemKeys = {
  version: ['system', 'version'] as const,
}

export function getVersion(): Promise<VersionInfo> {
  return data(http.get<VersionInfo>('/version', { auth: false }))
}
