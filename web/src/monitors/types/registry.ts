/**
 * Every monitor type the UI can create or edit, in menu order. Adding a type: write
 * `<type>.tsx` next to this file with `defineMonitorType`, then add it to this list.
 */
import type { MonitorTypeDefinition } from './definition'
import { group } from './group'
import { http } from './http'
import { httpJsonQuery } from './http-json-query'
import { httpKeyword } from './http-keyword'
import { dns } from './dns'
import { ping } from './ping'
import { push } from './push'
import { smtp } from './smtp'
import { docker } from './docker'
import { grpcKeyword } from './grpc-keyword'
import { kafkaProducer } from './kafka-producer'
import { mongodb } from './mongodb'
import { mqtt } from './mqtt'
import { mysql } from './mysql'
import { postgres } from './postgres'
import { rabbitmq } from './rabbitmq'
import { redis } from './redis'
import { snmp } from './snmp'
import { sqlserver } from './sqlserver'
import { tcp } from './tcp'
import { tls } from './tls'
import { udp } from './udp'
import { websocket } from './websocket'

// Each entry keeps its own config type; the list erases it for lookup by type string.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyMonitorType = MonitorTypeDefinition<any>

export const monitorTypes: readonly AnyMonitorType[] = [
  http,
  httpKeyword,
  httpJsonQuery,
  tcp,
  push,
  group,
  ping,
  dns,
  tls,
  smtp,
  udp,
  websocket,
  docker,
  grpcKeyword,
  snmp,
  mqtt,
  rabbitmq,
  kafkaProducer,
  postgres,
  mysql,
  sqlserver,
  mongodb,
  redis,
]

export function findMonitorType(type: string): AnyMonitorType | undefined {
  return monitorTypes.find((definition) => definition.type === type)
}

export const DEFAULT_MONITOR_TYPE = 'http'
