import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { KeyRound, Pencil, Plus, Trash2 } from 'lucide-react'
import { useState } from 'react'
import { ApiError } from '@/api/client'
import {
  type ApiKey,
  apiKeyKeys,
  createApiKey,
  deleteApiKey,
  getMetricsEnabled,
  listApiKeys,
  setMetricsEnabled,
  updateApiKey,
} from '@/api/apiKeys'
import { PageLayout } from '@/components/layout/PageLayout'
import { Badge } from '@/components/ui/badge'
import { Button } from '@/components/ui/button'
import { Card, CardContent, CardHeader, CardTitle } from '@/components/ui/card'
import { ConfirmDialog, Dialog } from '@/components/ui/dialog'
import { Field } from '@/components/ui/field'
import { Input, Select, Textarea } from '@/components/ui/input'
import { Skeleton } from '@/components/ui/skeleton'
import { EmptyState, ErrorState } from '@/components/ui/states'
import { Switch } from '@/components/ui/switch'
import { toast } from '@/components/ui/toast'
import { t, type MessageKey } from '@/i18n'
import { errorMessage } from '@/lib/errors'
import { formatDateTime, relativeTime } from '@/lib/time'
import { emptyKeyForm, formFromKey, keyBody, type KeyBody, type KeyForm, type KeyFormErrors, keyState, scrapeConfig } from '@/security/apiKeys'
import { CopyButton } from '@/security/CopyButton'

const STATE_LABEL: Record<ReturnType<typeof keyState>, MessageKey> = {
  active: 'apiKeys.state.active',
  expired: 'apiKeys.state.expired',
  exhausted: 'apiKeys.state.exhausted',
}

function errorText(code: KeyFormErrors[keyof KeyForm]): string | undefined {
  return code ? t(`apiKeys.error.${code}` as MessageKey) : undefined
}

/** Create or edit a key. `key` absent means create. */
function KeyDialog({ open, apiKey, onClose, onCreated }: { open: boolean; apiKey?: ApiKey; onClose: () => void; onCreated: (token: string) => void }) {
  const queryClient = useQueryClient()
  const [form, setForm] = useState<KeyForm>(apiKey ? formFromKey(apiKey) : emptyKeyForm)
  const [errors, setErrors] = useState<KeyFormErrors>({})
  const [serverError, setServerError] = useState<{ field?: string; message: string } | null>(null)
  const save = useMutation({
    mutationFn: async (body: KeyBody) => {
      if (apiKey) return { saved: await updateApiKey(apiKey.id, body), token: null }
      const created = await createApiKey({
        name: body.name,
        scope: body.scope,
        expires_at: body.expires_at ?? undefined,
        max_usage_count: body.max_usage_count ?? undefined,
      })
      return { saved: created, token: created.key }
    },
    onSuccess: ({ token }) => {
      void queryClient.invalidateQueries({ queryKey: apiKeyKeys.all })
      if (token) onCreated(token)
      else toast(t('apiKeys.saved'))
      onClose()
    },
    onError: (error) =>
      setServerError({ field: error instanceof ApiError ? error.field : undefined, message: errorMessage(error) }),
  })
  const submit = () => {
    setServerError(null)
    const result = keyBody(form)
    if ('errors' in result) return setErrors(result.errors)
    setErrors({})
    save.mutate(result.body)
  }
  const set = (patch: Partial<KeyForm>) => setForm((f) => ({ ...f, ...patch }))
  const fieldError = (name: keyof KeyForm, apiField: string) =>
    errorText(errors[name]) ?? (serverError?.field === apiField ? serverError.message : undefined)

  return (
    <Dialog
      open={open}
      onClose={onClose}
      title={t(apiKey ? 'apiKeys.editTitle' : 'apiKeys.createTitle')}
      description={t('apiKeys.dialogBody')}
      footer={
        <>
          <Button variant="outline" onClick={onClose}>
            {t('common.cancel')}
          </Button>
          <Button onClick={submit} disabled={save.isPending}>
            {t(apiKey ? 'common.save' : 'apiKeys.create')}
          </Button>
        </>
      }
    >
      <form
        className="grid gap-3"
        onSubmit={(event) => {
          event.preventDefault()
          submit()
        }}
      >
        <Field name="name" label={t('apiKeys.name')} error={fieldError('name', 'name')}>
          {(control) => <Input {...control} value={form.name} maxLength={100} onChange={(e) => set({ name: e.target.value })} autoFocus />}
        </Field>
        <Field name="scope" label={t('apiKeys.scope')} hint={t('apiKeys.scopeHint')} error={serverError?.field === 'scope' ? serverError.message : undefined}>
          {(control) => (
            <Select {...control} value={form.scope} onChange={(e) => set({ scope: e.target.value === 'read' ? 'read' : 'write' })}>
              <option value="write">{t('apiKeys.scope.write')}</option>
              <option value="read">{t('apiKeys.scope.read')}</option>
            </Select>
          )}
        </Field>
        <Field name="expiresAt" label={t('apiKeys.expiresAt')} hint={t('apiKeys.expiresHint')} error={fieldError('expiresAt', 'expires_at')}>
          {(control) => <Input {...control} type="datetime-local" value={form.expiresAt} onChange={(e) => set({ expiresAt: e.target.value })} />}
        </Field>
        <Field name="maxUsage" label={t('apiKeys.maxUsage')} hint={t('apiKeys.maxUsageHint')} error={fieldError('maxUsage', 'max_usage_count')}>
          {(control) => <Input {...control} type="number" inputMode="numeric" min={1} step={1} value={form.maxUsage} onChange={(e) => set({ maxUsage: e.target.value })} />}
        </Field>
        {serverError && !['name', 'scope', 'expires_at', 'max_usage_count'].includes(serverError.field ?? '') ? (
          <p role="alert" className="text-sm text-destructive">
            {serverError.message}
          </p>
        ) : null}
        <button type="submit" hidden />
      </form>
    </Dialog>
  )
}

/** The token of a new key, shown this one time. */
function TokenDialog({ token, onClose }: { token: string | null; onClose: () => void }) {
  return (
    <Dialog
      open={token !== null}
      onClose={onClose}
      title={t('apiKeys.createdTitle')}
      description={t('apiKeys.createdBody')}
      footer={<Button onClick={onClose}>{t('apiKeys.createdDone')}</Button>}
    >
      <div className="flex items-center gap-2">
        <code data-testid="new-api-key" className="min-w-0 flex-1 rounded-md bg-muted px-2 py-1.5 font-mono text-xs break-all">
          {token}
        </code>
        <CopyButton text={token ?? ''} label={t('apiKeys.createdTitle')} />
      </div>
    </Dialog>
  )
}

function KeyRow({ apiKey, onEdit, onDelete }: { apiKey: ApiKey; onEdit: () => void; onDelete: () => void }) {
  const state = keyState(apiKey)
  return (
    <li data-api-key-row={apiKey.id} className="grid grid-cols-[minmax(0,1fr)_auto] items-center gap-3 border-b px-3 py-3 last:border-b-0 sm:px-4">
      <div className="grid min-w-0 gap-1">
        <div className="flex min-w-0 flex-wrap items-center gap-2">
          <span className="truncate font-medium">{apiKey.name}</span>
          <code className="text-xs text-muted-foreground">{apiKey.display_key}</code>
          <Badge>{t(apiKey.scope === 'read' ? 'apiKeys.scope.read' : 'apiKeys.scope.write')}</Badge>
          <Badge className={state === 'active' ? 'text-muted-foreground' : 'border-destructive text-destructive'}>{t(STATE_LABEL[state])}</Badge>
        </div>
        <p className="text-xs text-muted-foreground">
          {t('apiKeys.usage', {
            count: apiKey.usage_count,
            max: apiKey.max_usage_count != null ? String(apiKey.max_usage_count) : '∞',
          })}
          {' · '}
          {apiKey.last_used ? t('apiKeys.lastUsed', { when: relativeTime(apiKey.last_used) }) : t('apiKeys.neverUsed')}
          {' · '}
          {apiKey.expires_at ? t('apiKeys.expires', { when: formatDateTime(apiKey.expires_at) }) : t('apiKeys.noExpiry')}
        </p>
      </div>
      <div className="flex items-center gap-1">
        <Button variant="ghost" size="icon" title={t('apiKeys.edit')} aria-label={`${t('apiKeys.edit')}: ${apiKey.name}`} onClick={onEdit}>
          <Pencil aria-hidden="true" />
        </Button>
        <Button variant="ghost" size="icon" title={t('apiKeys.delete')} aria-label={`${t('apiKeys.delete')}: ${apiKey.name}`} onClick={onDelete}>
          <Trash2 aria-hidden="true" />
        </Button>
      </div>
    </li>
  )
}

function ApiKeysCard() {
  const queryClient = useQueryClient()
  const keys = useQuery({ queryKey: apiKeyKeys.list(), queryFn: ({ signal }) => listApiKeys(signal) })
  const [editing, setEditing] = useState<ApiKey | 'new' | null>(null)
  const [deleting, setDeleting] = useState<ApiKey | null>(null)
  const [token, setToken] = useState<string | null>(null)
  const remove = useMutation({
    mutationFn: (id: string) => deleteApiKey(id),
    onSuccess: () => {
      setDeleting(null)
      toast(t('apiKeys.deleted'))
      void queryClient.invalidateQueries({ queryKey: apiKeyKeys.all })
    },
    onError: (error) => toast(errorMessage(error), 'error'),
  })
  const newButton = (
    <Button onClick={() => setEditing('new')}>
      <Plus aria-hidden="true" />
      {t('apiKeys.new')}
    </Button>
  )

  let content
  if (keys.isPending)
    content = (
      <div aria-hidden="true" className="grid gap-2 p-4">
        <Skeleton className="h-4 w-48" />
        <Skeleton className="h-3 w-64 max-w-full" />
      </div>
    )
  else if (keys.isError) content = <ErrorState title={t('apiKeys.loadError')} error={keys.error} onRetry={() => void keys.refetch()} />
  else if (keys.data.length === 0) content = <EmptyState icon={<KeyRound />} title={t('apiKeys.empty')} body={t('apiKeys.emptyBody')} action={newButton} />
  else
    content = (
      <ul>
        {keys.data.map((k) => (
          <KeyRow key={k.id} apiKey={k} onEdit={() => setEditing(k)} onDelete={() => setDeleting(k)} />
        ))}
      </ul>
    )

  return (
    <Card>
      <CardHeader className="flex flex-row flex-wrap items-center justify-between gap-2">
        <CardTitle>{t('apiKeys.title')}</CardTitle>
        {keys.data?.length ? newButton : null}
      </CardHeader>
      <CardContent className="p-0 sm:p-0">
        <p className="px-4 pb-3 text-sm text-muted-foreground">{t('apiKeys.description')}</p>
        {content}
      </CardContent>
      {editing !== null ? (
        <KeyDialog open apiKey={editing === 'new' ? undefined : editing} onClose={() => setEditing(null)} onCreated={setToken} />
      ) : null}
      <TokenDialog token={token} onClose={() => setToken(null)} />
      <ConfirmDialog
        open={deleting !== null}
        title={t('apiKeys.confirmDeleteTitle')}
        description={t('apiKeys.confirmDeleteBody', { name: deleting?.name ?? '' })}
        confirmLabel={t('apiKeys.delete')}
        destructive
        busy={remove.isPending}
        onConfirm={() => deleting && remove.mutate(deleting.id)}
        onClose={() => setDeleting(null)}
      />
    </Card>
  )
}

function MetricsCard() {
  const queryClient = useQueryClient()
  const enabled = useQuery({ queryKey: apiKeyKeys.metrics(), queryFn: ({ signal }) => getMetricsEnabled(signal) })
  const toggle = useMutation({
    mutationFn: (next: boolean) => setMetricsEnabled(next),
    onSuccess: (next) => {
      queryClient.setQueryData(apiKeyKeys.metrics(), next)
      toast(t(next ? 'metrics.enabled' : 'metrics.disabled'))
    },
    onError: (error) => toast(errorMessage(error), 'error'),
  })
  const on = toggle.isPending && toggle.variables !== undefined ? toggle.variables : Boolean(enabled.data)
  const config = scrapeConfig(window.location.origin)
  return (
    <Card>
      <CardHeader className="flex flex-row items-center justify-between gap-2">
        <CardTitle>{t('metrics.title')}</CardTitle>
        <Switch checked={on} disabled={enabled.isPending || toggle.isPending} label={t('metrics.toggle')} onCheckedChange={(next) => toggle.mutate(next)} />
      </CardHeader>
      <CardContent className="grid gap-3">
        {enabled.isError ? <ErrorState title={t('metrics.loadError')} error={enabled.error} onRetry={() => void enabled.refetch()} /> : null}
        <p className="text-sm text-muted-foreground">{t('metrics.description')}</p>
        {on ? (
          <div className="grid gap-2">
            <div className="flex items-center justify-between gap-2">
              <span className="text-sm font-medium">{t('metrics.scrapeConfig')}</span>
              <CopyButton text={config} label={t('metrics.scrapeConfig')} />
            </div>
            <Textarea readOnly value={config} rows={9} aria-label={t('metrics.scrapeConfig')} />
          </div>
        ) : null}
      </CardContent>
    </Card>
  )
}

/** /security: API keys (create, list with usage/expiry/scope, edit, revoke) and Prometheus metrics. */
export default function SecurityPage() {
  return (
    <PageLayout title={t('security.title')} description={t('security.description')} className="grid max-w-4xl gap-4">
      <ApiKeysCard />
      <MetricsCard />
    </PageLayout>
  )
}
