import { describe, expect, it } from 'vitest'
import { isHexColor, readableText, toSixDigits } from './color'

describe('tag colours', () => {
  it('accepts the forms the server accepts', () => {
    expect(['#fff', '#3B82F6', '#a1b2c3'].every(isHexColor)).toBe(true)
    expect(['fff', '#ffff', 'red', '#GGG', ''].some(isHexColor)).toBe(false)
  })

  it('widens three digits for the colour input', () => {
    expect(toSixDigits('#f0a')).toBe('#FF00AA')
    expect(toSixDigits('#3b82f6')).toBe('#3B82F6')
  })

  it('puts dark text on light colours and light text on dark ones', () => {
    expect(readableText('#FFFFFF')).toBe('#000000')
    expect(readableText('#EAB308')).toBe('#000000')
    expect(readableText('#1E293B')).toBe('#FFFFFF')
    expect(readableText('#1D4ED8')).toBe('#FFFFFF')
  })
})
