/**
 * The bounds the server enforces on monitors. The minimum interval is a deployment setting
 * (20 s by default, PEEKAPING_MIN_INTERVAL lowers it), so the form takes it from the server:
 * `min_interval` in GET /version. A server that does not say gets no client-side minimum
 * (1 s): its own validation still answers with `error.field = "interval"`, shown on the field.
 */
import { useQuery } from '@tanstack/react-query'
import { getVersion, systemKeys } from '@/api/system'
import { UNKNOWN_LIMITS, type MonitorLimits } from './validation'

export function limitsFromVersion(version: unknown): MonitorLimits {
  const min = (version as { min_interval?: unknown } | undefined)?.min_interval
  return typeof min === 'number' && Number.isInteger(min) && min >= 1 ? { minInterval: min, known: true } : UNKNOWN_LIMITS
}

export function useMonitorLimits(): { limits: MonitorLimits; ready: boolean } {
  const { data, isPending } = useQuery({ queryKey: systemKeys.version, queryFn: getVersion, staleTime: Infinity })
  return { limits: limitsFromVersion(data), ready: !isPending }
}
