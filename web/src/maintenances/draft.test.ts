import { describe, expect, it } from 'vitest'
import type { Maintenance } from '@/api/types'
import { crossesMidnight, draftFromMaintenance, fieldsOf, maintenanceBody, newMaintenanceDraft, toggled, validateMaintenance } from './draft'

const draft = (patch: Partial<ReturnType<typeof newMaintenanceDraft>> = {}) => ({ ...newMaintenanceDraft('Europe/Berlin'), title: 'Patch night', ...patch })

describe('maintenance draft', () => {
  it('sends only the fields of the chosen strategy', () => {
    const d = draft({ strategy: 'recurring-weekday', weekdays: [6, 0], cron: '* * * * *', start_date_time: '', days_of_month: [5] })
    const body = maintenanceBody(d)
    expect(body).toMatchObject({ strategy: 'recurring-weekday', weekdays: [0, 6], start_time: '02:00', end_time: '03:00', timezone: 'Europe/Berlin' })
    expect(body).not.toHaveProperty('cron')
    expect(body).not.toHaveProperty('days_of_month')
    expect(body).not.toHaveProperty('start_date_time')
    const manual = maintenanceBody(draft({ strategy: 'manual', start_date_time: '2025-01-01T00:00' }))
    expect(Object.keys(manual).sort()).toEqual(['active', 'description', 'monitor_ids', 'strategy', 'timezone', 'title'])
  })

  it('keeps lastDay1 among the days of the month', () => {
    const body = maintenanceBody(draft({ strategy: 'recurring-day-of-month', days_of_month: [15, 'lastDay1'] }))
    expect(body.days_of_month).toEqual([15, 'lastDay1'])
  })

  it('names the fields a strategy needs', () => {
    expect(validateMaintenance(draft({ title: ' ' }))).toHaveProperty('title')
    expect(Object.keys(validateMaintenance(draft({ strategy: 'single' }))).sort()).toEqual(['end_date_time', 'start_date_time'])
    expect(validateMaintenance(draft({ strategy: 'single', start_date_time: '2025-01-02T10:00', end_date_time: '2025-01-01T10:00' }))).toEqual({
      end_date_time: 'Must be after the start.',
    })
    expect(validateMaintenance(draft({ strategy: 'recurring-weekday' }))).toEqual({ weekdays: 'Choose at least one day.' })
    expect(validateMaintenance(draft({ strategy: 'recurring-weekday', weekdays: [1], end_time: '02:00' }))).toHaveProperty('end_time')
    expect(validateMaintenance(draft({ strategy: 'recurring-interval', interval_day: 0 }))).toMatchObject({
      interval_day: expect.any(String),
      start_date_time: expect.any(String),
    })
    expect(validateMaintenance(draft({ strategy: 'cron', cron: 'nightly', duration: 0 }))).toMatchObject({ cron: expect.any(String), duration: expect.any(String) })
    expect(validateMaintenance(draft({ strategy: 'cron' }))).toEqual({})
  })

  it('knows a window that ends the next day', () => {
    expect(crossesMidnight({ start_time: '23:00', end_time: '01:00' })).toBe(true)
    expect(crossesMidnight({ start_time: '01:00', end_time: '02:00' })).toBe(false)
  })

  it('reads a stored maintenance back into the form', () => {
    const m = {
      id: 'm', title: 'Month end', description: '', active: false, strategy: 'recurring-day-of-month',
      start_date_time: null, end_date_time: null, start_time: '22:00', end_time: '23:00', weekdays: [],
      days_of_month: [1, 'lastDay1'], interval_day: null, cron: null, duration: null, timezone: 'America/New_York',
      monitor_ids: ['a'], status: 'inactive', next_windows: [], created_at: '', updated_at: '',
    } as Maintenance
    const d = draftFromMaintenance(m)
    expect(d).toMatchObject({ strategy: 'recurring-day-of-month', days_of_month: [1, 'lastDay1'], active: false, timezone: 'America/New_York', monitor_ids: ['a'] })
    expect(fieldsOf(d.strategy).has('days_of_month')).toBe(true)
    expect(maintenanceBody(d).days_of_month).toEqual([1, 'lastDay1'])
  })

  it('toggles values in a list', () => {
    expect(toggled([1, 2], 3, true)).toEqual([1, 2, 3])
    expect(toggled([1, 2, 3], 2, false)).toEqual([1, 3])
    expect(toggled([1, 2], 2, true)).toEqual([1, 2])
  })
})
