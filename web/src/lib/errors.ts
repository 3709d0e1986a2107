import { ApiError } from '@/api/client'
import { t } from '@/i18n'

/** A sentence for the user from any thrown value. */
export function errorMessage(error: unknown): string {
  if (error instanceof ApiError) {
    if (error.code === 'network') return t('common.networkError')
    return error.message
  }
  if (error instanceof Error) return error.message
  return t('common.errorTitle')
}
