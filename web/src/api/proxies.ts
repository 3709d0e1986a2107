/** /proxies: the global proxy list HTTP-family monitors can use. Query keys live here too. */
import { data, http } from './client'
import type { Proxy, ProxyCreate } from './types'

export const proxyKeys = {
  all: ['proxies'] as const,
  list: () => ['proxies', 'list'] as const,
}

export function listProxies(signal?: AbortSignal): Promise<Proxy[]> {
  return data(http.get<Proxy[]>('/proxies', { signal }))
}

export function createProxy(body: ProxyCreate): Promise<Proxy> {
  return data(http.post<Proxy>('/proxies', body))
}

export async function deleteProxy(id: string): Promise<void> {
  await http.delete<unknown>(`/proxies/${encodeURIComponent(id)}`)
}

/** How a proxy reads in a list: `socks5://127.0.0.1:1080`. */
export function proxyLabel(p: Pick<Proxy, 'protocol' | 'host' | 'port'>): string {
  const host = p.host.includes(':') ? `[${p.host}]` : p.host
  return `${p.protocol}://${host}:${p.port}`
}
