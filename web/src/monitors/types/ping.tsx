import { t } from '@/i18n'
import { FormSection } from '@/monitors/FormSection'
import { NumberField, TextInput } from '@/monitors/net/fields'
import { hostError, integerIn } from '@/monitors/net/validation'
import { compact } from '@/monitors/validation'
import { defineMonitorType, num, str } from './definition'

/** Bounds of src/domain/monitor_types/ping.rs. */
export const MAX_PACKET_SIZE = 65_500
export const MAX_COUNT = 100
export const MAX_PER_PING_TIMEOUT = 60

export interface PingConfig {
  host: string
  packet_size: number
  count: number
  per_ping_timeout: number
}

export const ping = defineMonitorType<PingConfig>({
  type: 'ping',
  label: 'type.ping',
  description: 'type.ping.description',
  fromConfig: (raw) => ({
    host: str(raw, 'host') || str(raw, 'hostname'),
    packet_size: num(raw, 'packet_size', 32),
    count: num(raw, 'count', 1),
    per_ping_timeout: num(raw, 'per_ping_timeout', 2),
  }),
  toConfig: (c) => ({ host: c.host.trim(), packet_size: c.packet_size, count: c.count, per_ping_timeout: c.per_ping_timeout }),
  validate: (c) =>
    compact({
      host: hostError(c.host),
      packet_size: integerIn(c.packet_size, 0, MAX_PACKET_SIZE),
      count: integerIn(c.count, 1, MAX_COUNT),
      per_ping_timeout:
        Number.isFinite(c.per_ping_timeout) && c.per_ping_timeout > 0 && c.per_ping_timeout <= MAX_PER_PING_TIMEOUT
          ? undefined
          : t('ping.validation.perPingTimeout', { max: MAX_PER_PING_TIMEOUT }),
    }),
  Form: (props) => (
    <FormSection title={t('form.section.config')}>
      <TextInput<PingConfig> name="host" label="tcp.host" hint="ping.hostHint" placeholder="192.0.2.10, 2001:db8::1, router.lan" props={props} />
      <div className="grid gap-4 sm:grid-cols-3">
        <NumberField<PingConfig> name="count" label="ping.count" hint="ping.countHint" min={1} max={MAX_COUNT} props={props} />
        <NumberField<PingConfig>
          name="per_ping_timeout"
          label="ping.perPingTimeout"
          hint="ping.perPingTimeoutHint"
          min={0.1}
          max={MAX_PER_PING_TIMEOUT}
          step={0.1}
          props={props}
        />
        <NumberField<PingConfig> name="packet_size" label="ping.packetSize" hint="ping.packetSizeHint" min={0} max={MAX_PACKET_SIZE} props={props} />
      </div>
    </FormSection>
  ),
})
