/** Incidents of one status page: post one, post updates (resolving sets resolved_at), delete. */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { Trash2 } from 'lucide-react'
import { useState, type FormEvent } from 'react'
import { createIncident, deleteIncident, listIncidents, postIncidentUpdate, statusPageKeys } from '@/api/statusPages'
import type { Incident } from '@/api/types'
import { Badge } from '@/components/ui/badge'
import { Button } from '@/components/ui/button'
import { Card, CardContent } from '@/components/ui/card'
import { Field } from '@/components/ui/field'
import { Input, Select, Textarea } from '@/components/ui/input'
import { ErrorState, LoadingState } from '@/components/ui/states'
import { toast } from '@/components/ui/toast'
import { t } from '@/i18n'
import { errorMessage } from '@/lib/errors'
import { FormSection } from '@/monitors/FormSection'

const STYLES = ['info', 'warning', 'danger', 'primary', 'light', 'dark']
const STATUSES = ['investigating', 'identified', 'monitoring', 'resolved']

function IncidentCard({ incident, pageId }: { incident: Incident; pageId: string }) {
  const queryClient = useQueryClient()
  const [status, setStatus] = useState('identified')
  const [message, setMessage] = useState('')
  const refresh = () => void queryClient.invalidateQueries({ queryKey: statusPageKeys.incidents(pageId) })
  const update = useMutation({
    mutationFn: () => postIncidentUpdate(incident.id, { status, message }),
    onSuccess: () => {
      setMessage('')
      refresh()
      toast(t('incidents.updatePosted'))
    },
    onError: (error) => toast(errorMessage(error), 'error'),
  })
  const remove = useMutation({
    mutationFn: () => deleteIncident(incident.id),
    onSuccess: refresh,
    onError: (error) => toast(errorMessage(error), 'error'),
  })
  return (
    <li className="grid gap-2 border-b py-3 last:border-b-0" data-incident={incident.id}>
      <div className="flex flex-wrap items-center gap-2">
        <span className="font-medium">{incident.title}</span>
        <Badge>{incident.status}</Badge>
        <Badge className="text-muted-foreground">{incident.style}</Badge>
        <span className="text-xs text-muted-foreground">{new Date(incident.created_at).toLocaleString()}</span>
        <Button variant="ghost" size="icon" className="ml-auto" aria-label={`${t('incidents.delete')}: ${incident.title}`} onClick={() => remove.mutate()}>
          <Trash2 aria-hidden="true" />
        </Button>
      </div>
      {incident.message ? <p className="text-sm whitespace-pre-wrap">{incident.message}</p> : null}
      {incident.updates.length ? (
        <ol className="grid gap-1 border-l pl-3 text-sm">
          {incident.updates.map((u) => (
            <li key={u.id}>
              <strong>{u.status}</strong> <span className="text-xs text-muted-foreground">{new Date(u.created_at).toLocaleString()}</span>
              <div className="whitespace-pre-wrap">{u.message}</div>
            </li>
          ))}
        </ol>
      ) : null}
      <form
        className="grid gap-2 sm:grid-cols-[10rem_minmax(0,1fr)_auto]"
        onSubmit={(event: FormEvent) => {
          event.preventDefault()
          if (message.trim()) update.mutate()
        }}
      >
        <Select aria-label={t('incidents.status')} value={status} onChange={(event) => setStatus(event.target.value)}>
          {STATUSES.map((s) => (
            <option key={s} value={s}>
              {s}
            </option>
          ))}
        </Select>
        <Input aria-label={t('incidents.updateMessage')} placeholder={t('incidents.updateMessage')} value={message} onChange={(event) => setMessage(event.target.value)} />
        <Button type="submit" variant="outline" disabled={update.isPending || !message.trim()}>
          {t('incidents.postUpdate')}
        </Button>
      </form>
    </li>
  )
}

export function IncidentsPanel({ pageId }: { pageId: string }) {
  const queryClient = useQueryClient()
  const incidents = useQuery({ queryKey: statusPageKeys.incidents(pageId), queryFn: ({ signal }) => listIncidents(pageId, signal) })
  const [title, setTitle] = useState('')
  const [style, setStyle] = useState('warning')
  const [message, setMessage] = useState('')
  const create = useMutation({
    mutationFn: () => createIncident(pageId, { title, style, message }),
    onSuccess: () => {
      setTitle('')
      setMessage('')
      toast(t('incidents.created'))
      void queryClient.invalidateQueries({ queryKey: statusPageKeys.incidents(pageId) })
    },
    onError: (error) => toast(errorMessage(error), 'error'),
  })

  return (
    <Card>
      <CardContent className="grid gap-6">
        <FormSection title={t('incidents.title')}>
          <form
            className="grid gap-3"
            onSubmit={(event: FormEvent) => {
              event.preventDefault()
              if (title.trim()) create.mutate()
            }}
          >
            <div className="grid gap-3 sm:grid-cols-[minmax(0,1fr)_10rem]">
              <Field name="incident-title" label={t('incidents.incidentTitle')}>
                {(control) => <Input {...control} value={title} onChange={(event) => setTitle(event.target.value)} />}
              </Field>
              <Field name="incident-style" label={t('incidents.style')}>
                {(control) => (
                  <Select {...control} value={style} onChange={(event) => setStyle(event.target.value)}>
                    {STYLES.map((s) => (
                      <option key={s} value={s}>
                        {s}
                      </option>
                    ))}
                  </Select>
                )}
              </Field>
            </div>
            <Field name="incident-message" label={t('incidents.message')}>
              {(control) => <Textarea {...control} rows={3} value={message} onChange={(event) => setMessage(event.target.value)} />}
            </Field>
            <div>
              <Button type="submit" disabled={create.isPending || !title.trim()}>
                {t('incidents.post')}
              </Button>
            </div>
          </form>
          {incidents.isPending ? (
            <LoadingState />
          ) : incidents.isError ? (
            <ErrorState title={t('incidents.loadError')} error={incidents.error} onRetry={() => void incidents.refetch()} />
          ) : incidents.data.length === 0 ? (
            <p className="text-sm text-muted-foreground">{t('incidents.empty')}</p>
          ) : (
            <ul>
              {incidents.data.map((i) => (
                <IncidentCard key={i.id} incident={i} pageId={pageId} />
              ))}
            </ul>
          )}
        </FormSection>
      </CardContent>
    </Card>
  )
}
