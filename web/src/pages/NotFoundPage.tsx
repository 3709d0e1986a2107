import { Link } from 'react-router'
import { buttonVariants } from '@/components/ui/button'
import { t } from '@/i18n'

export default function NotFoundPage() {
  return (
    <div className="mx-auto grid max-w-lg gap-4 px-6 py-24 text-center">
      <h1 className="text-xl font-semibold">{t('common.notFound')}</h1>
      <p className="text-sm text-muted-foreground">{t('common.notFoundBody')}</p>
      <div>
        <Link to="/monitors" className={buttonVariants()}>
          {t('common.goHome')}
        </Link>
      </div>
    </div>
  )
}
