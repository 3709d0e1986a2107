import { describe, expect, it } from 'vitest'
import { addTagLink } from './TagPicker'

describe('tag picker', () => {
  it('adds a tag once per value and trims the value', () => {
    let links = addTagLink([], { tag_id: 'env', value: ' prod ' })
    links = addTagLink(links, { tag_id: 'env', value: 'prod' })
    links = addTagLink(links, { tag_id: 'env', value: 'eu' })
    links = addTagLink(links, { tag_id: '', value: 'x' })
    expect(links).toEqual([
      { tag_id: 'env', value: 'prod' },
      { tag_id: 'env', value: 'eu' },
    ])
  })
})
