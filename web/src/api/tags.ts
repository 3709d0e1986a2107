/** /tags: the labels monitors carry (each monitor may give a tag a value). Query keys live here too. */
import { data, http } from './client'
import type { Tag, TagCreate } from './types'

export const tagKeys = {
  all: ['tags'] as const,
  list: () => ['tags', 'list'] as const,
}

/** Every tag, by name (a deployment has dozens at most; the server caps a page at 1000). */
export function listTags(signal?: AbortSignal): Promise<Tag[]> {
  return data(http.get<Tag[]>('/tags', { query: { limit: 1000, page: 0 }, signal })).then((items) => items ?? [])
}

export function createTag(body: TagCreate): Promise<Tag> {
  return data(http.post<Tag>('/tags', body))
}

export function updateTag(id: string, body: TagCreate): Promise<Tag> {
  return data(http.put<Tag>(`/tags/${encodeURIComponent(id)}`, body))
}

export async function deleteTag(id: string): Promise<void> {
  await http.delete<unknown>(`/tags/${encodeURIComponent(id)}`)
}
