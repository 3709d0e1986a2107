import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { Check, Circle } from 'lucide-react'
import { useState, type FormEvent } from 'react'
import { Navigate, useNavigate } from 'react-router'
import { authKeys, getSetupState, register } from '@/api/auth'
import { ApiError } from '@/api/client'
import { useSignedIn } from '@/api/session'
import { HOME_PATH } from '@/app/routes'
import { emailLooksValid, PASSWORD_RULES, passwordIsStrong } from '@/auth/password'
import { Alert } from '@/components/ui/alert'
import { Button } from '@/components/ui/button'
import { Field } from '@/components/ui/field'
import { Input } from '@/components/ui/input'
import { ErrorState, LoadingState } from '@/components/ui/states'
import { t } from '@/i18n'
import { cn } from '@/lib/cn'
import { errorMessage } from '@/lib/errors'
import { AuthCard } from './AuthCard'

type Errors = Partial<Record<'email' | 'password' | 'confirm', string>>

export default function RegisterPage() {
  const signedIn = useSignedIn()
  const navigate = useNavigate()
  const queryClient = useQueryClient()
  const setup = useQuery({ queryKey: authKeys.setup, queryFn: getSetupState, staleTime: 0 })
  const [email, setEmail] = useState('')
  const [password, setPassword] = useState('')
  const [confirm, setConfirm] = useState('')
  const [errors, setErrors] = useState<Errors>({})
  const [formError, setFormError] = useState<string | null>(null)

  const mutation = useMutation({
    mutationFn: () => register(email.trim(), password),
    onSuccess: () => {
      queryClient.setQueryData(authKeys.setup, { needs_setup: false })
      navigate(HOME_PATH, { replace: true })
    },
    onError: (error) => {
      if (error instanceof ApiError && (error.field === 'email' || error.field === 'password')) {
        setErrors({ [error.field]: error.message })
      } else if (error instanceof ApiError && (error.code === 'conflict' || error.status === 409)) {
        setFormError(t('auth.error.alreadySetUp'))
        void setup.refetch()
      } else {
        setFormError(errorMessage(error))
      }
    },
  })

  if (signedIn) return <Navigate to={HOME_PATH} replace />

  const submit = (event: FormEvent) => {
    event.preventDefault()
    setFormError(null)
    const next: Errors = {}
    if (!email.trim()) next.email = t('auth.error.emailRequired')
    else if (!emailLooksValid(email)) next.email = t('auth.error.emailInvalid')
    if (!password) next.password = t('auth.error.passwordRequired')
    else if (!passwordIsStrong(password)) next.password = t('auth.error.passwordWeak')
    if (password && confirm !== password) next.confirm = t('auth.error.passwordMismatch')
    setErrors(next)
    if (Object.keys(next).length > 0) {
      const first = Object.keys(next)[0]
      document.querySelector<HTMLInputElement>(`[name="${first}"]`)?.focus()
      return
    }
    mutation.mutate()
  }

  return (
    <AuthCard title={t('auth.registerTitle')} subtitle={t('auth.registerSubtitle')}>
      {setup.isPending ? (
        <LoadingState />
      ) : setup.isError ? (
        <ErrorState title={t('common.errorTitle')} error={setup.error} onRetry={() => void setup.refetch()} />
      ) : !setup.data.needs_setup ? (
        <Navigate to="/login" replace />
      ) : (
        <form className="grid gap-4" onSubmit={submit} noValidate>
          {formError ? <Alert>{formError}</Alert> : null}
          <Field name="email" label={t('auth.email')} error={errors.email}>
            {(control) => (
              <Input {...control} type="email" autoComplete="username" value={email} onChange={(e) => setEmail(e.target.value)} autoFocus />
            )}
          </Field>
          <Field name="password" label={t('auth.password')} error={errors.password}>
            {(control) => (
              <Input {...control} type="password" autoComplete="new-password" value={password} onChange={(e) => setPassword(e.target.value)} />
            )}
          </Field>
          <ul className="grid gap-1 text-xs" aria-label={t('auth.passwordRules')}>
            {PASSWORD_RULES.map((rule) => {
              const ok = rule.test(password)
              return (
                <li key={rule.key} className={cn('flex items-center gap-2', ok ? 'text-status-up' : 'text-muted-foreground')}>
                  {ok ? <Check className="size-3.5" aria-hidden="true" /> : <Circle className="size-3.5" aria-hidden="true" />}
                  <span>{t(rule.key)}</span>
                  <span className="sr-only">{ok ? t('common.yes') : t('common.no')}</span>
                </li>
              )
            })}
          </ul>
          <Field name="confirm" label={t('auth.confirmPassword')} error={errors.confirm}>
            {(control) => (
              <Input {...control} type="password" autoComplete="new-password" value={confirm} onChange={(e) => setConfirm(e.target.value)} />
            )}
          </Field>
          <Button type="submit" disabled={mutation.isPending}>
            {mutation.isPending ? t('auth.registering') : t('auth.register')}
          </Button>
        </form>
      )}
    </AuthCard>
  )
}
