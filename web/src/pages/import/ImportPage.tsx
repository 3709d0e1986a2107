import { PageLayout } from '@/components/layout/PageLayout'
import { t } from '@/i18n'
import { KumaImportCard } from '@/import/KumaImportCard'

/** /import: importers from other tools. The Kuma card can move into Settings as it is. */
export default function ImportPage() {
  return (
    <PageLayout title={t('import.title')} description={t('import.description')}>
      <KumaImportCard />
    </PageLayout>
  )
}
