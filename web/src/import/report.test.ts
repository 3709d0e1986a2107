import { describe, expect, it } from 'vitest'
import { groupByKind, importQuery } from './report'

describe('groupByKind', () => {
  it('puts monitors first and sorts names', () => {
    const groups = groupByKind([
      { kind: 'notification', name: 'Bark', reason: 'x' },
      { kind: 'monitor', name: 'b', reason: 'y' },
      { kind: 'zzz', name: 'q', reason: 'z' },
      { kind: 'monitor', name: 'a', reason: 'w' },
    ])
    expect(groups.map((g) => g.kind)).toEqual(['monitor', 'notification', 'zzz'])
    expect(groups[0]?.entries.map((e) => e.name)).toEqual(['a', 'b'])
  })

  it('is empty for no entries', () => {
    expect(groupByKind([])).toEqual([])
  })
})

describe('importQuery', () => {
  it('sends only the flags that are on', () => {
    expect(importQuery(false, false)).toEqual({ dry_run: undefined, with_history: undefined })
    expect(importQuery(true, true)).toEqual({ dry_run: true, with_history: true })
  })
})
