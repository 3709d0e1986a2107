/**
 * Every notification provider the UI can create or edit, in menu order (the server's five
 * first, then Peekaping's others, then the ones Peekaping lacks). Adding a provider: write
 * `<provider>.ts` next to this file with `defineProvider`, then add it to this list.
 */
import { apprise } from './apprise'
import type { NotificationProviderDefinition } from './definition'
import { discord } from './discord'
import { googleChat } from './google-chat'
import { gotify } from './gotify'
import { grafanaOncall } from './grafana-oncall'
import { homeAssistant } from './home-assistant'
import { line } from './line'
import { matrix } from './matrix'
import { mattermost } from './mattermost'
import { microsoftTeams } from './microsoft-teams'
import { ntfy } from './ntfy'
import { opsgenie } from './opsgenie'
import { pagerduty } from './pagerduty'
import { pagertree } from './pagertree'
import { pushbullet } from './pushbullet'
import { pushover } from './pushover'
import { rocketChat } from './rocket-chat'
import { sendgrid } from './sendgrid'
import { signal } from './signal'
import { slack } from './slack'
import { smtp } from './smtp'
import { telegram } from './telegram'
import { twilio } from './twilio'
import { webhook } from './webhook'
import { wecom } from './wecom'
import { whatsapp } from './whatsapp'

export const providers: readonly NotificationProviderDefinition[] = [
  smtp,
  webhook,
  telegram,
  slack,
  discord,
  googleChat,
  signal,
  mattermost,
  matrix,
  wecom,
  whatsapp,
  pagerduty,
  opsgenie,
  grafanaOncall,
  ntfy,
  gotify,
  pushover,
  sendgrid,
  twilio,
  line,
  pagertree,
  pushbullet,
  microsoftTeams,
  rocketChat,
  homeAssistant,
  apprise,
]

export function findProvider(type: string): NotificationProviderDefinition | undefined {
  return providers.find((definition) => definition.type === type)
}

export const DEFAULT_PROVIDER = 'webhook'
