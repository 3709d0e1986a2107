/** A stored JSON-object string (a monitor's or a channel's `config`) as an object; `{}` when it is not one. */
export function parseJsonObject(json: string | null | undefined): Record<string, unknown> {
  if (!json) return {}
  try {
    const value: unknown = JSON.parse(json)
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {}
  } catch {
    return {}
  }
}
