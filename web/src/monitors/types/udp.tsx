import { t } from '@/i18n'
import { FormSection } from '@/monitors/FormSection'
import { HostPort, TextInput } from '@/monitors/net/fields'
import { hexError, hostError } from '@/monitors/net/validation'
import { compact, isPort } from '@/monitors/validation'
import { defineMonitorType, num, str } from './definition'

/** Largest UDP payload over IPv4 (src/domain/monitor_types/udp.rs). */
export const MAX_UDP_PAYLOAD = 65_507

export interface UdpConfig {
  host: string
  port: number
  payload_hex: string
  expect_hex: string
}

export const udp = defineMonitorType<UdpConfig>({
  type: 'udp',
  label: 'type.udp',
  description: 'type.udp.description',
  fromConfig: (raw) => ({
    host: str(raw, 'host'),
    port: num(raw, 'port', Number.NaN),
    payload_hex: str(raw, 'payload_hex'),
    expect_hex: str(raw, 'expect_hex'),
  }),
  toConfig: (c) => ({ host: c.host.trim(), port: c.port, payload_hex: c.payload_hex.trim(), expect_hex: c.expect_hex.trim() }),
  validate: (c) =>
    compact({
      host: hostError(c.host),
      port: isPort(c.port) ? undefined : t('validation.port'),
      payload_hex: hexError(c.payload_hex, MAX_UDP_PAYLOAD),
      expect_hex: hexError(c.expect_hex, MAX_UDP_PAYLOAD),
    }),
  Form: (props) => (
    <FormSection title={t('form.section.config')}>
      <HostPort<UdpConfig> props={props} />
      <p className="text-sm text-muted-foreground">{t('udp.semantics')}</p>
      <div className="grid gap-4 sm:grid-cols-2">
        <TextInput<UdpConfig> name="payload_hex" label="udp.payload" hint="udp.hexHint" placeholder="68656c6c6f" props={props} />
        <TextInput<UdpConfig> name="expect_hex" label="udp.expect" hint="udp.expectHint" placeholder="6f6b" props={props} />
      </div>
    </FormSection>
  ),
})
