import { useMutation, useQuery } from '@tanstack/react-query'
import { useState, type FormEvent } from 'react'
import { Navigate, useLocation, useNavigate } from 'react-router'
import { authKeys, getSetupState, login } from '@/api/auth'
import { ApiError } from '@/api/client'
import { useSignedIn } from '@/api/session'
import { HOME_PATH } from '@/app/routes'
import { emailLooksValid } from '@/auth/password'
import { Alert } from '@/components/ui/alert'
import { Button } from '@/components/ui/button'
import { Dialog } from '@/components/ui/dialog'
import { Field } from '@/components/ui/field'
import { Input } from '@/components/ui/input'
import { t } from '@/i18n'
import { errorMessage } from '@/lib/errors'
import { AuthCard } from './AuthCard'

interface LocationState {
  from?: string
  expired?: boolean
}

function describeLoginError(error: unknown): string {
  if (error instanceof ApiError) {
    if (error.status === 429) {
      return error.retryAfter !== undefined
        ? t('auth.error.lockedOut', { seconds: Math.ceil(error.retryAfter) })
        : t('auth.error.lockedOutNoTime')
    }
    if (error.status === 401) return t('auth.error.invalidCredentials')
  }
  return errorMessage(error)
}

export default function LoginPage() {
  const signedIn = useSignedIn()
  const navigate = useNavigate()
  const location = useLocation()
  const state = (location.state ?? {}) as LocationState
  const target = state.from && state.from.startsWith('/') && !state.from.startsWith('/login') ? state.from : HOME_PATH
  const setup = useQuery({ queryKey: authKeys.setup, queryFn: getSetupState, staleTime: 0 })

  const [email, setEmail] = useState('')
  const [password, setPassword] = useState('')
  const [errors, setErrors] = useState<{ email?: string; password?: string }>({})
  const [formError, setFormError] = useState<string | null>(null)
  const [twoFactorOpen, setTwoFactorOpen] = useState(false)
  const [code, setCode] = useState('')
  const [codeError, setCodeError] = useState<string | null>(null)

  const mutation = useMutation({
    mutationFn: (token: string | undefined) => login(email.trim(), password, token),
    onSuccess: () => navigate(target, { replace: true }),
    onError: (error, token) => {
      if (error instanceof ApiError && error.code === '2fa_required') {
        if (token) {
          setCodeError(t('auth.twofa.invalid'))
        } else {
          setCode('')
          setCodeError(null)
          setTwoFactorOpen(true)
        }
        return
      }
      setTwoFactorOpen(false)
      if (error instanceof ApiError && (error.field === 'email' || error.field === 'password')) {
        setErrors({ [error.field]: error.message })
      } else {
        setFormError(describeLoginError(error))
      }
    },
  })

  if (signedIn) return <Navigate to={target} replace />
  if (setup.data?.needs_setup) return <Navigate to="/register" replace />

  const submit = (event: FormEvent) => {
    event.preventDefault()
    setFormError(null)
    const next: { email?: string; password?: string } = {}
    if (!email.trim()) next.email = t('auth.error.emailRequired')
    else if (!emailLooksValid(email)) next.email = t('auth.error.emailInvalid')
    if (!password) next.password = t('auth.error.passwordRequired')
    setErrors(next)
    if (next.email || next.password) {
      document.querySelector<HTMLInputElement>(`[name="${next.email ? 'email' : 'password'}"]`)?.focus()
      return
    }
    mutation.mutate(undefined)
  }

  const submitCode = (event: FormEvent) => {
    event.preventDefault()
    const trimmed = code.replace(/\s/g, '')
    if (!/^\d{6}$/.test(trimmed)) {
      setCodeError(t('auth.twofa.codeFormat'))
      return
    }
    setCodeError(null)
    mutation.mutate(trimmed)
  }

  return (
    <AuthCard title={t('auth.signInTitle')} subtitle={t('auth.signInSubtitle')}>
      <form className="grid gap-4" onSubmit={submit} noValidate>
        {state.expired && !formError ? <Alert tone="info">{t('common.sessionExpired')}</Alert> : null}
        {formError ? <Alert>{formError}</Alert> : null}
        <Field name="email" label={t('auth.email')} error={errors.email}>
          {(control) => (
            <Input {...control} type="email" autoComplete="username" value={email} onChange={(e) => setEmail(e.target.value)} autoFocus />
          )}
        </Field>
        <Field name="password" label={t('auth.password')} error={errors.password}>
          {(control) => (
            <Input {...control} type="password" autoComplete="current-password" value={password} onChange={(e) => setPassword(e.target.value)} />
          )}
        </Field>
        <Button type="submit" disabled={mutation.isPending}>
          {mutation.isPending && !twoFactorOpen ? t('auth.signingIn') : t('auth.signIn')}
        </Button>
      </form>

      <Dialog open={twoFactorOpen} onClose={() => setTwoFactorOpen(false)} title={t('auth.twofa.title')} description={t('auth.twofa.description')}>
        <form className="grid gap-4" onSubmit={submitCode} noValidate>
          <Field name="token" label={t('auth.twofa.code')} error={codeError ?? undefined}>
            {(control) => (
              <Input
                {...control}
                inputMode="numeric"
                autoComplete="one-time-code"
                maxLength={7}
                className="text-center font-mono text-lg tracking-[0.4em]"
                value={code}
                onChange={(e) => setCode(e.target.value)}
                autoFocus
              />
            )}
          </Field>
          <div className="flex justify-end gap-2">
            <Button variant="outline" onClick={() => setTwoFactorOpen(false)}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" disabled={mutation.isPending}>
              {t('auth.twofa.verify')}
            </Button>
          </div>
        </form>
      </Dialog>
    </AuthCard>
  )
}
