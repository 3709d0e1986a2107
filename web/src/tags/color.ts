/** Tag colours: `#RGB`/`#RRGGBB` as the server accepts them, and a legible text colour on them. */

export const DEFAULT_TAG_COLOR = '#3B82F6'

/** Colours offered as one-click choices in the tag form. */
export const TAG_SWATCHES = ['#3B82F6', '#22C55E', '#EAB308', '#F97316', '#EF4444', '#A855F7', '#EC4899', '#64748B']

export function isHexColor(c: string): boolean {
  return /^#([0-9a-f]{3}|[0-9a-f]{6})$/i.test(c.trim())
}

/** `#abc` → `#AABBCC`, for `<input type="color">` which only takes six digits. */
export function toSixDigits(c: string): string {
  const h = c.trim().replace('#', '')
  const six = h.length === 3 ? h.split('').map((x) => x + x).join('') : h
  return `#${six.toUpperCase()}`
}

/** Black or white, whichever reads better on `background` (WCAG relative luminance). */
export function readableText(background: string): '#000000' | '#FFFFFF' {
  if (!isHexColor(background)) return '#FFFFFF'
  const hex = toSixDigits(background).slice(1)
  const channel = (i: number) => {
    const v = parseInt(hex.slice(i, i + 2), 16) / 255
    return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4
  }
  const luminance = 0.2126 * channel(0) + 0.7152 * channel(2) + 0.0722 * channel(4)
  // Contrast with black (L+0.05)/0.05 against white 1.05/(L+0.05): equal at L ≈ 0.179.
  return luminance > 0.179 ? '#000000' : '#FFFFFF'
}
