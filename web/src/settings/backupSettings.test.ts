import { describe, expect, it } from 'vitest'
import { backupFileName, formFromSettings, parseBackupFile, scheduleValues } from './backupSettings'

describe('backup schedule form', () => {
  it('fills defaults for settings never set', () => {
    expect(formFromSettings({})).toEqual({ intervalHours: '24', keep: '7', retentionDays: '365' })
    expect(formFromSettings({ intervalHours: '0', keep: ' 3 ' })).toEqual({ intervalHours: '0', keep: '3', retentionDays: '365' })
  })

  it('accepts whole numbers within the server bounds', () => {
    expect(scheduleValues({ intervalHours: '0', keep: '1', retentionDays: '90' })).toEqual({
      values: { intervalHours: 0, keep: 1, retentionDays: 90 },
    })
  })

  it('names each bad field', () => {
    expect(scheduleValues({ intervalHours: '1.5', keep: '0', retentionDays: '40000' })).toEqual({
      errors: { intervalHours: 'wholeNumber', keep: 'range', retentionDays: 'range' },
    })
    expect(scheduleValues({ intervalHours: '-1', keep: '', retentionDays: '1' })).toEqual({
      errors: { intervalHours: 'wholeNumber', keep: 'wholeNumber' },
    })
  })
})

describe('backup files', () => {
  it('names downloads by UTC time', () => {
    const at = new Date(Date.UTC(2025, 0, 31, 10, 0, 5, 123))
    expect(backupFileName(at, false)).toBe('peekaping-backup-2025-01-31T10-00-05Z.json')
    expect(backupFileName(at, true)).toBe('peekaping-backup-2025-01-31T10-00-05Z-history.json')
  })

  it('accepts only Peekaping backups', () => {
    expect(parseBackupFile('{"format":"peekaping-backup","version":1}')).toEqual({ format: 'peekaping-backup', version: 1 })
    expect(parseBackupFile('{"format":"kuma"}')).toBeNull()
    expect(parseBackupFile('not json')).toBeNull()
    expect(parseBackupFile('null')).toBeNull()
  })
})
