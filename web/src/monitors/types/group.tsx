import { t } from '@/i18n'
import { FormSection } from '@/monitors/FormSection'
import { defineMonitorType } from './definition'

/** A group has no settings of its own: its status rolls up the monitors placed in it. */
export type GroupConfig = Record<string, never>

export const group = defineMonitorType<GroupConfig>({
  type: 'group',
  label: 'type.group',
  description: 'type.group.description',
  fromConfig: () => ({}),
  toConfig: () => ({}),
  validate: () => ({}),
  Form: () => (
    <FormSection title={t('form.section.config')}>
      <p className="text-sm text-muted-foreground">{t('group.hint')}</p>
    </FormSection>
  ),
})
