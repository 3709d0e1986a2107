/** A one-line description of what a monitor checks (URL, host:port…), for lists and headers. */
import type { Monitor } from '@/api/types'
import { parseConfig } from './draft'

const cache = new WeakMap<Monitor, string>()

export function monitorTarget(monitor: Monitor): string {
  const cached = cache.get(monitor)
  if (cached !== undefined) return cached
  const config = parseConfig(monitor.config)
  let target = ''
  if (typeof config.url === 'string') target = config.url
  else if (typeof config.host === 'string') target = config.port ? `${config.host}:${String(config.port)}` : config.host
  else if (typeof config.hostname === 'string') target = config.hostname
  cache.set(monitor, target)
  return target
}
