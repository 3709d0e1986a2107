import type { ButtonHTMLAttributes } from 'react'
import { cn } from '@/lib/cn'

interface SwitchProps extends Omit<ButtonHTMLAttributes<HTMLButtonElement>, 'onChange' | 'role'> {
  checked: boolean
  onCheckedChange: (checked: boolean) => void
  /** The accessible name (the switch has no visible label of its own). */
  label: string
}

/** An on/off toggle (WAI-ARIA switch): a button, so Space and Enter work without code. */
export function Switch({ checked, onCheckedChange, label, className, disabled, ...props }: SwitchProps) {
  return (
    <button
      type="button"
      role="switch"
      aria-checked={checked}
      aria-label={label}
      disabled={disabled}
      onClick={() => onCheckedChange(!checked)}
      className={cn(
        'relative inline-flex h-5 w-9 shrink-0 cursor-pointer items-center rounded-full border-2 border-transparent transition-colors focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-ring disabled:cursor-not-allowed disabled:opacity-50',
        checked ? 'bg-primary' : 'bg-input',
        className,
      )}
      {...props}
    >
      <span
        aria-hidden="true"
        className={cn('pointer-events-none block size-4 rounded-full bg-card shadow-xs transition-transform', checked ? 'translate-x-4' : 'translate-x-0')}
      />
    </button>
  )
}
