import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { Pencil, Plus, Tag as TagIcon, Trash2 } from 'lucide-react'
import { useState, type FormEvent } from 'react'
import { ApiError } from '@/api/client'
import { createTag, deleteTag, listTags, tagKeys, updateTag } from '@/api/tags'
import type { Tag } from '@/api/types'
import { PageLayout } from '@/components/layout/PageLayout'
import { Alert } from '@/components/ui/alert'
import { Button } from '@/components/ui/button'
import { Card } from '@/components/ui/card'
import { ConfirmDialog, Dialog } from '@/components/ui/dialog'
import { Field } from '@/components/ui/field'
import { Input } from '@/components/ui/input'
import { LoadingState, EmptyState, ErrorState } from '@/components/ui/states'
import { toast } from '@/components/ui/toast'
import { t } from '@/i18n'
import { errorMessage } from '@/lib/errors'
import { DEFAULT_TAG_COLOR, isHexColor, TAG_SWATCHES, toSixDigits } from '@/tags/color'
import { TagChip } from '@/tags/TagChip'

interface TagDraft {
  name: string
  color: string
  description: string
}

/** Create/edit a tag in a dialog; the server's 4xx (a duplicate name: 409) lands on its field. */
function TagDialog({ tag, open, onClose }: { tag: Tag | null; open: boolean; onClose: () => void }) {
  const queryClient = useQueryClient()
  const [draft, setDraft] = useState<TagDraft>(
    tag ? { name: tag.name, color: tag.color, description: tag.description } : { name: '', color: DEFAULT_TAG_COLOR, description: '' },
  )
  const [errors, setErrors] = useState<Partial<Record<keyof TagDraft, string>>>({})
  const [formError, setFormError] = useState<string | null>(null)
  const save = useMutation({
    mutationFn: (d: TagDraft) => (tag ? updateTag(tag.id, d) : createTag(d)),
    onSuccess: () => {
      toast(t(tag ? 'tags.updated' : 'tags.created'))
      void queryClient.invalidateQueries({ queryKey: tagKeys.all })
      onClose()
    },
    onError: (error) => {
      const field = error instanceof ApiError ? error.field : undefined
      if (field === 'name' || field === 'color' || field === 'description') setErrors({ [field]: errorMessage(error) })
      else setFormError(errorMessage(error))
    },
  })
  const submit = (event: FormEvent) => {
    event.preventDefault()
    setFormError(null)
    const found: typeof errors = {}
    if (!draft.name.trim()) found.name = 'Enter a name.'
    else if (draft.name.trim().length > 100) found.name = 'At most 100 characters.'
    if (!isHexColor(draft.color)) found.color = 'A hex colour like #3B82F6.'
    setErrors(found)
    if (Object.keys(found).length === 0) save.mutate({ ...draft, name: draft.name.trim() })
  }
  return (
    <Dialog
      open={open}
      onClose={onClose}
      title={t(tag ? 'tags.editTitle' : 'tags.newTitle')}
      footer={
        <>
          <Button variant="outline" onClick={onClose}>
            {t('common.cancel')}
          </Button>
          <Button type="submit" form="tag-form" disabled={save.isPending}>
            {t('common.save')}
          </Button>
        </>
      }
    >
      <form id="tag-form" onSubmit={submit} noValidate className="grid gap-4">
        {formError ? <Alert>{formError}</Alert> : null}
        <Field name="name" label={t('tags.name')} error={errors.name}>
          {(control) => <Input {...control} value={draft.name} autoComplete="off" onChange={(e) => setDraft({ ...draft, name: e.target.value })} />}
        </Field>
        <Field name="color" label={t('tags.color')} error={errors.color}>
          {(control) => (
            <div className="flex flex-wrap items-center gap-2">
              <Input {...control} className="w-28 font-mono" value={draft.color} onChange={(e) => setDraft({ ...draft, color: e.target.value })} />
              <input
                type="color"
                aria-label={t('tags.color')}
                className="h-9 w-10 cursor-pointer rounded border"
                value={isHexColor(draft.color) ? toSixDigits(draft.color) : DEFAULT_TAG_COLOR}
                onChange={(e) => setDraft({ ...draft, color: e.target.value.toUpperCase() })}
              />
              {TAG_SWATCHES.map((c) => (
                <button
                  key={c}
                  type="button"
                  aria-label={c}
                  className="size-6 cursor-pointer rounded-full border"
                  style={{ backgroundColor: c }}
                  onClick={() => setDraft({ ...draft, color: c })}
                />
              ))}
            </div>
          )}
        </Field>
        <Field name="description" label={t('tags.descriptionField')} error={errors.description}>
          {(control) => <Input {...control} value={draft.description} onChange={(e) => setDraft({ ...draft, description: e.target.value })} />}
        </Field>
        <p className="flex items-center gap-2 text-sm text-muted-foreground">
          {t('tags.preview')}: <TagChip name={draft.name || 'tag'} color={isHexColor(draft.color) ? draft.color : DEFAULT_TAG_COLOR} />
        </p>
      </form>
    </Dialog>
  )
}

/** /tags: every tag with its colour; create, edit and delete in place. */
export default function TagListPage() {
  const queryClient = useQueryClient()
  const tags = useQuery({ queryKey: tagKeys.list(), queryFn: ({ signal }) => listTags(signal) })
  const [editing, setEditing] = useState<Tag | 'new' | null>(null)
  const [deleting, setDeleting] = useState<Tag | null>(null)
  const remove = useMutation({
    mutationFn: (id: string) => deleteTag(id),
    onSuccess: () => {
      setDeleting(null)
      toast(t('tags.deleted'))
      void queryClient.invalidateQueries({ queryKey: tagKeys.all })
      void queryClient.invalidateQueries({ queryKey: ['monitors'] })
    },
    onError: (error) => toast(errorMessage(error), 'error'),
  })
  const newButton = (
    <Button onClick={() => setEditing('new')}>
      <Plus aria-hidden="true" />
      {t('tags.new')}
    </Button>
  )

  let content
  if (tags.isPending) content = <LoadingState />
  else if (tags.isError) content = <ErrorState title={t('tags.loadError')} error={tags.error} onRetry={() => void tags.refetch()} />
  else if (tags.data.length === 0) content = <EmptyState icon={<TagIcon />} title={t('tags.empty')} body={t('tags.emptyBody')} action={newButton} />
  else
    content = (
      <Card>
        <ul>
          {tags.data.map((tag) => (
            <li key={tag.id} data-tag-row={tag.id} className="flex items-center gap-3 border-b px-3 py-3 last:border-b-0 sm:px-4">
              <div className="grid min-w-0 flex-1 gap-1">
                <TagChip name={tag.name} color={tag.color} className="w-fit" />
                {tag.description ? <p className="truncate text-xs text-muted-foreground">{tag.description}</p> : null}
              </div>
              <Button variant="ghost" size="icon" title={t('tags.edit')} aria-label={`${t('tags.edit')}: ${tag.name}`} onClick={() => setEditing(tag)}>
                <Pencil aria-hidden="true" />
              </Button>
              <Button variant="ghost" size="icon" title={t('tags.delete')} aria-label={`${t('tags.delete')}: ${tag.name}`} onClick={() => setDeleting(tag)}>
                <Trash2 aria-hidden="true" />
              </Button>
            </li>
          ))}
        </ul>
      </Card>
    )

  return (
    <PageLayout title={t('tags.title')} description={t('tags.description')} actions={tags.data?.length ? newButton : undefined} className="max-w-3xl">
      {content}
      {editing ? <TagDialog key={editing === 'new' ? 'new' : editing.id} tag={editing === 'new' ? null : editing} open onClose={() => setEditing(null)} /> : null}
      <ConfirmDialog
        open={deleting !== null}
        title={t('tags.confirmDeleteTitle')}
        description={t('tags.confirmDeleteBody', { name: deleting?.name ?? '' })}
        confirmLabel={t('tags.delete')}
        destructive
        busy={remove.isPending}
        onConfirm={() => deleting && remove.mutate(deleting.id)}
        onClose={() => setDeleting(null)}
      />
    </PageLayout>
  )
}
