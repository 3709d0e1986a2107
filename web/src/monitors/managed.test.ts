import { describe, expect, it } from 'vitest'
import { isFileManaged } from './managed'

describe('isFileManaged', () => {
  it('is true only for objects the monitors file owns', () => {
    expect(isFileManaged({ managed_by: 'file' })).toBe(true)
    expect(isFileManaged({ managed_by: null })).toBe(false)
    expect(isFileManaged({})).toBe(false)
    expect(isFileManaged({ managed_by: 'terraform' })).toBe(false)
    expect(isFileManaged(undefined)).toBe(false)
  })
})
