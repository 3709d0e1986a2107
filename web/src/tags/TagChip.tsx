import { cn } from '@/lib/cn'
import { readableText } from './color'

/** A tag as a coloured pill: `name` or `name: value`. */
export function TagChip({ name, color, value, className }: { name: string; color: string; value?: string; className?: string }) {
  return (
    <span
      data-tag-chip={name}
      className={cn('inline-flex max-w-48 items-center truncate rounded-full px-2 py-0.5 text-xs font-medium', className)}
      style={{ backgroundColor: color, color: readableText(color) }}
      title={value ? `${name}: ${value}` : name}
    >
      {value ? `${name}: ${value}` : name}
    </span>
  )
}
