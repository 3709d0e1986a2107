import { Megaphone } from 'lucide-react'
import { t } from '@/i18n'
import { defineProvider } from './definition'

export const apprise = defineProvider({
  type: 'apprise',
  label: 'provider.apprise',
  description: 'provider.apprise.description',
  icon: Megaphone,
  fields: [
    { key: 'apprise_url', kind: 'url', label: 'notify.apprise.url', hint: 'notify.apprise.urlHint', required: true, placeholder: 'http://apprise:8000' },
    { key: 'apprise_urls', kind: 'textarea', label: 'notify.apprise.urls', hint: 'notify.apprise.urlsHint', placeholder: 'tgram://bottoken/ChatID\nmailto://user:pass@example.com' },
    { key: 'apprise_key', kind: 'text', label: 'notify.apprise.key', hint: 'notify.apprise.keyHint' },
    { key: 'apprise_tag', kind: 'text', label: 'notify.apprise.tag', hint: 'notify.apprise.tagHint' },
  ],
  // Stateless (a list of URLs) or stateful (a stored configuration's key): one of the two.
  check: (c) => ({
    apprise_urls:
      !String(c.apprise_urls ?? '').trim() && !String(c.apprise_key ?? '').trim() && !String(c.apprise_tag ?? '').trim()
        ? t('validation.appriseTarget')
        : undefined,
  }),
})
