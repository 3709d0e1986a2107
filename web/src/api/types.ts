/**
 * The API types the app uses, all from the server's OpenAPI document: `npm run gen:api`
 * regenerates schema.d.ts from web/openapi.json, and a contract change then shows up as type
 * errors where the app relies on it. Only what OpenAPI cannot describe is written here: the
 * meaning of status numbers and the Socket.IO payloads.
 */
import type { components, paths } from './schema'

type Schemas = components['schemas']

export type Monitor = Schemas['Monitor']
/** Body of POST /monitors and PUT /monitors/:id. */
export type MonitorCreate = Schemas['MonitorInput']
/** Body of PATCH /monitors/:id. */
export type MonitorPatch = Schemas['MonitorPatchInput']
export type Heartbeat = Schemas['HeartbeatDto']
export type UptimeStats = Schemas['UptimeDto']
export type StatPoint = Schemas['StatPointDto']
export type StatPoints = Schemas['StatPointsDto']
export type TlsInfo = Schemas['TlsInfoDto']
export type TlsCertificate = Schemas['CertificateDto']
export type User = Schemas['UserDto']
export type AuthSession = Schemas['LoginResponse']
export type SetupState = Schemas['SetupStatus']
export type VersionInfo = Schemas['VersionDto']
export type ApiErrorBody = Schemas['ErrorBody']
export type Proxy = Schemas['Proxy']
/** Body of POST /proxies and PUT /proxies/:id. */
export type ProxyCreate = Schemas['ProxyInput']
export type NotificationChannel = Schemas['NotificationChannel']
/** Body of POST /notification-channels and PUT /notification-channels/:id. */
export type NotificationChannelCreate = Schemas['ChannelInput']
/** Body of PATCH /notification-channels/:id. */
export type NotificationChannelPatch = Schemas['ChannelPatchInput']
/** Body of POST /notification-channels/test. */
export type NotificationChannelTest = Schemas['ChannelTestInput']
export type NotificationDelivery = Schemas['NotificationDelivery']

export type MonitorListQuery = NonNullable<paths['/monitors']['get']['parameters']['query']>
export type HeartbeatListQuery = NonNullable<paths['/monitors/{id}/heartbeats']['get']['parameters']['query']>

/**
 * Monitor and heartbeat `status` (an integer in the schema): 0 DOWN, 1 UP, 2 PENDING,
 * 3 MAINTENANCE. "Paused" is `active === false`, not a status.
 */
export type MonitorStatus = 0 | 1 | 2 | 3

/** `status` of a delivery attempt (a plain string in the schema). */
export type DeliveryStatus = 'sent' | 'retrying' | 'failed' | 'folded'

/** `granularity` of GET /monitors/:id/stats/points (a plain string in the schema). */
export type Granularity = 'minute' | 'hour' | 'day'

/** Socket.IO `monitor:status` (rooms `monitor:all` and `monitor:<id>`). */
export interface MonitorStatusEvent {
  monitor_id: string
  status: number
  previous_status: number | null
}

/** Socket.IO `monitor:changed` (rooms `monitor:all` and `monitor:<id>`). */
export interface MonitorChangedEvent {
  id: string
  action: 'created' | 'updated' | 'deleted'
}

export type Tag = Schemas['Tag']
/** Body of POST /tags and PUT /tags/:id. */
export type TagCreate = Schemas['TagInput']
/** A monitor's tag as read: the tag's name and colour with this monitor's value. */
export type MonitorTag = Schemas['MonitorTag']
/** A monitor's tag as written. */
export type MonitorTagLink = Schemas['MonitorTagInput']
export type Maintenance = Schemas['Maintenance']
/** Body of POST /maintenances, PUT /maintenances/:id and POST /maintenances/preview. */
export type MaintenanceCreate = Schemas['MaintenanceInput']
export type MaintenancePreview = Schemas['MaintenancePreview']
export type MaintenanceWindow = Schemas['MaintenanceWindow']
export type StatusPage = Schemas['StatusPage']
/** Body of POST /status-pages. */
export type StatusPageCreate = Schemas['StatusPageInput']
/** Body of PATCH (and PUT) /status-pages/:id. */
export type StatusPagePatch = Schemas['StatusPagePatchInput']
export type Incident = Schemas['Incident']
export type IncidentCreate = Schemas['IncidentInput']
export type IncidentUpdateCreate = Schemas['IncidentUpdateInput']
