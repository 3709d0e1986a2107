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
  else if (typeof config.hostname === 'string') {
    target = config.port ? `${config.hostname}:${String(config.port)}` : config.hostname
    if (typeof config.topic === 'string' && config.topic) target += ` ${config.topic}`
  } else if (typeof config.grpcUrl === 'string') {
    target = `${config.grpcUrl} ${String(config.grpcServiceName ?? '')}/${String(config.grpcMethod ?? '')}`
  } else if (typeof config.container_id === 'string') {
    target = `${config.container_id} @ ${String(config.docker_daemon ?? '')}`
  } else if (Array.isArray(config.nodes) || Array.isArray(config.brokers)) {
    const list = (Array.isArray(config.nodes) ? config.nodes : config.brokers) as unknown[]
    target = `${String(list[0] ?? '')}${list.length > 1 ? ` +${String(list.length - 1)}` : ''}`
    if (typeof config.topic === 'string') target += ` ${config.topic}`
  }
  cache.set(monitor, target)
  return target
}
