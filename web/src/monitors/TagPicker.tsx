/**
 * The monitor form's "Tags" section: the monitor's tags as chips (each with its optional
 * value, as in Uptime Kuma), and a row to add one: choose a tag, type a value, add. The same
 * tag may be added again with another value.
 */
import { useQuery } from '@tanstack/react-query'
import { X } from 'lucide-react'
import { useState } from 'react'
import { Link } from 'react-router'
import { listTags, tagKeys } from '@/api/tags'
import type { MonitorTagLink } from '@/api/types'
import { Button } from '@/components/ui/button'
import { Input, Select } from '@/components/ui/input'
import { t } from '@/i18n'
import { TagChip } from '@/tags/TagChip'
import { FormSection } from './FormSection'

type Link_ = Required<MonitorTagLink>

/** Adds `link` unless the monitor already has that tag with that value. */
export function addTagLink(links: Link_[], link: Link_): Link_[] {
  const value = link.value.trim()
  if (!link.tag_id || links.some((l) => l.tag_id === link.tag_id && l.value.trim() === value)) return links
  return [...links, { tag_id: link.tag_id, value }]
}

export function TagPicker({ value, onChange }: { value: Link_[]; onChange: (links: Link_[]) => void }) {
  const tags = useQuery({ queryKey: tagKeys.list(), queryFn: ({ signal }) => listTags(signal), staleTime: 30_000 })
  const [tagId, setTagId] = useState('')
  const [tagValue, setTagValue] = useState('')
  const byId = new Map((tags.data ?? []).map((tag) => [tag.id, tag]))

  const add = () => {
    onChange(addTagLink(value, { tag_id: tagId, value: tagValue }))
    setTagValue('')
  }

  return (
    <FormSection title={t('tagPicker.title')}>
      {value.length ? (
        <ul className="flex flex-wrap gap-2" data-field="tags">
          {value.map((link, i) => {
            const tag = byId.get(link.tag_id)
            const name = tag?.name ?? link.tag_id
            return (
              <li key={`${link.tag_id}:${link.value}`} className="inline-flex items-center gap-1">
                <TagChip name={name} color={tag?.color ?? '#64748B'} value={link.value} />
                <Button
                  variant="ghost"
                  size="icon"
                  className="size-6"
                  aria-label={t('tagPicker.remove', { name: link.value ? `${name}: ${link.value}` : name })}
                  onClick={() => onChange(value.filter((_, j) => j !== i))}
                >
                  <X aria-hidden="true" />
                </Button>
              </li>
            )
          })}
        </ul>
      ) : (
        <p className="text-sm text-muted-foreground">{t('tagPicker.none')}</p>
      )}
      {tags.data && tags.data.length === 0 ? (
        <p className="text-sm text-muted-foreground">
          {t('tagPicker.noTags')}{' '}
          <Link to="/tags" className="underline">
            {t('tagPicker.manage')}
          </Link>
        </p>
      ) : (
        <div className="flex flex-wrap items-end gap-2">
          <Select aria-label={t('tagPicker.tag')} className="w-48" value={tagId} onChange={(e) => setTagId(e.target.value)}>
            <option value="">{t('tagPicker.choose')}</option>
            {(tags.data ?? []).map((tag) => (
              <option key={tag.id} value={tag.id}>
                {tag.name}
              </option>
            ))}
          </Select>
          <Input
            aria-label={t('tagPicker.value')}
            placeholder={t('tagPicker.value')}
            className="w-48"
            maxLength={255}
            value={tagValue}
            onChange={(e) => setTagValue(e.target.value)}
            onKeyDown={(e) => {
              if (e.key === 'Enter') {
                e.preventDefault()
                add()
              }
            }}
          />
          <Button variant="outline" disabled={!tagId} onClick={add}>
            {t('tagPicker.add')}
          </Button>
        </div>
      )}
    </FormSection>
  )
}
