import { describe, expect, it } from 'vitest'
import { moveItem, newStatusPageDraft, parseDomains, slugify, statusPageBody, usedMonitorIds, validateStatusPage } from './draft'

describe('status page draft', () => {
  it('moves items up and down and leaves the ends alone', () => {
    expect(moveItem(['a', 'b', 'c'], 2, -1)).toEqual(['a', 'c', 'b'])
    expect(moveItem(['a', 'b', 'c'], 0, 1)).toEqual(['b', 'a', 'c'])
    expect(moveItem(['a', 'b', 'c'], 0, -1)).toEqual(['a', 'b', 'c'])
    expect(moveItem(['a', 'b', 'c'], 2, 1)).toEqual(['a', 'b', 'c'])
  })

  it('suggests slugs the server accepts', () => {
    expect(slugify('  My Service — Status!  ')).toBe('my-service-status')
    expect(slugify('Café Zürich')).toBe('cafe-zurich')
  })

  it('reads domains one per line, lower-cased', () => {
    expect(parseDomains('Status.Example.com\n\n other.test , x.test')).toEqual(['status.example.com', 'other.test', 'x.test'])
  })

  it('names the fields at fault', () => {
    const d = { ...newStatusPageDraft(), slug: 'Bad Slug', auto_refresh_interval: '5', sections: [{ key: 'k', name: ' ', tag_id: '', monitor_ids: [] }] }
    const errors = validateStatusPage(d)
    expect(Object.keys(errors).sort()).toEqual(['auto_refresh_interval', 'sections[0].name', 'slug', 'title'])
    expect(validateStatusPage({ ...newStatusPageDraft(), slug: 'ok', title: 'Ok', auto_refresh_interval: '0' })).toEqual({})
  })

  it('sends the password only when it changes', () => {
    const d = { ...newStatusPageDraft(), slug: 's', title: 'T' }
    expect('password' in statusPageBody(d)).toBe(false)
    expect(statusPageBody({ ...d, passwordAction: 'set', password: 'pw' }).password).toBe('pw')
    expect(statusPageBody({ ...d, passwordAction: 'remove', password: 'ignored' }).password).toBe('')
  })

  it('knows which monitors are already on the page', () => {
    const d = { ...newStatusPageDraft(), monitor_ids: ['a'], sections: [{ key: 'k', name: 'S', tag_id: '', monitor_ids: ['b'] }] }
    expect([...usedMonitorIds(d)].sort()).toEqual(['a', 'b'])
    expect(statusPageBody(d).sections).toEqual([{ name: 'S', monitor_ids: ['b'], tag_id: undefined }])
  })
})
