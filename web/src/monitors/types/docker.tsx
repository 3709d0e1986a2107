import { Checkbox } from '@/components/ui/checkbox'
import { t } from '@/i18n'
import { SelectConfigField, TextAreaConfigField, TextConfigField } from '@/monitors/ConfigFields'
import { FormSection } from '@/monitors/FormSection'
import { compact } from '@/monitors/validation'
import { bool, defineMonitorType, oneOf, str } from './definition'

export const DOCKER_CONNECTION_TYPES = ['socket', 'tcp'] as const

export interface DockerConfig {
  container_id: string
  connection_type: (typeof DOCKER_CONNECTION_TYPES)[number]
  docker_daemon: string
  tls_enabled: boolean
  tls_cert: string
  tls_key: string
  tls_ca: string
  tls_verify: boolean
}

/** tcp://host:port, http://host[:port] or https://host[:port], as the server accepts them. */
export function isEngineUrl(value: string): boolean {
  const raw = value.trim()
  const withScheme = raw.includes('://') ? raw.replace(/^tcp:\/\//, 'http://') : `http://${raw}`
  try {
    const url = new URL(withScheme)
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return false
    return Boolean(url.hostname) && (Boolean(url.port) || raw.startsWith('http'))
  } catch {
    return false
  }
}

function usesTls(c: DockerConfig): boolean {
  return c.connection_type === 'tcp' && (c.tls_enabled || c.docker_daemon.trim().startsWith('https://'))
}

export const docker = defineMonitorType<DockerConfig>({
  type: 'docker',
  label: 'type.docker',
  description: 'type.docker.description',
  fromConfig: (raw) => ({
    container_id: str(raw, 'container_id'),
    connection_type: oneOf(raw, 'connection_type', DOCKER_CONNECTION_TYPES, 'socket'),
    docker_daemon: str(raw, 'docker_daemon', '/var/run/docker.sock'),
    tls_enabled: bool(raw, 'tls_enabled'),
    tls_cert: str(raw, 'tls_cert'),
    tls_key: str(raw, 'tls_key'),
    tls_ca: str(raw, 'tls_ca'),
    tls_verify: bool(raw, 'tls_verify'),
  }),
  toConfig: (c) => ({
    container_id: c.container_id.trim(),
    connection_type: c.connection_type,
    docker_daemon: c.docker_daemon.trim(),
    tls_enabled: c.connection_type === 'tcp' && c.tls_enabled,
    tls_cert: c.tls_cert,
    tls_key: c.tls_key,
    tls_ca: c.tls_ca,
    tls_verify: c.tls_verify,
  }),
  validate: (c) => {
    const id = c.container_id.trim().replace(/^\/+/, '')
    const daemon = c.docker_daemon.trim().replace(/^unix:\/\//, '')
    const tls = usesTls(c)
    const pem = (text: string) => (text.trim() && !text.includes('-----BEGIN') ? t('validation.pem') : undefined)
    return compact({
      container_id: !id ? t('validation.required') : /^[A-Za-z0-9_.-]{1,255}$/.test(id) ? undefined : t('validation.containerId'),
      docker_daemon:
        c.connection_type === 'socket'
          ? daemon.startsWith('/') && !/\s/.test(daemon)
            ? undefined
            : t('validation.socketPath')
          : isEngineUrl(c.docker_daemon)
            ? undefined
            : t('validation.engineUrl'),
      tls_cert: tls ? (pem(c.tls_cert) ?? (!c.tls_cert.trim() && c.tls_key.trim() ? t('validation.certAndKey') : undefined)) : undefined,
      tls_key: tls ? (pem(c.tls_key) ?? (c.tls_cert.trim() && !c.tls_key.trim() ? t('validation.certAndKey') : undefined)) : undefined,
      tls_ca: tls ? pem(c.tls_ca) : undefined,
    })
  },
  Form: ({ value, onChange, errors }) => (
    <>
      <FormSection title={t('form.section.config')}>
        <TextConfigField name="container_id" label={t('docker.container')} hint={t('docker.containerHint')} errors={errors} value={value.container_id} placeholder="web" onChange={(container_id) => onChange({ container_id })} />
        <SelectConfigField
          name="connection_type"
          label={t('docker.connectionType')}
          errors={errors}
          value={value.connection_type}
          options={DOCKER_CONNECTION_TYPES.map((type) => ({ value: type, label: t(`docker.connection.${type}`) }))}
          onChange={(connection_type) =>
            onChange({
              connection_type,
              docker_daemon:
                connection_type === 'socket' && !value.docker_daemon.trim().startsWith('/')
                  ? '/var/run/docker.sock'
                  : connection_type === 'tcp' && value.docker_daemon.trim().startsWith('/')
                    ? ''
                    : value.docker_daemon,
            })
          }
        />
        <TextConfigField
          name="docker_daemon"
          label={t(value.connection_type === 'socket' ? 'docker.socketPath' : 'docker.engineUrl')}
          hint={t(value.connection_type === 'socket' ? 'docker.socketPathHint' : 'docker.engineUrlHint')}
          errors={errors}
          value={value.docker_daemon}
          placeholder={value.connection_type === 'socket' ? '/var/run/docker.sock' : 'tcp://docker-host:2376'}
          onChange={(docker_daemon) => onChange({ docker_daemon })}
        />
      </FormSection>
      {value.connection_type === 'tcp' ? (
        <FormSection title={t('docker.section.tls')}>
          <Checkbox label={t('docker.tlsEnabled')} checked={value.tls_enabled} onChange={(event) => onChange({ tls_enabled: event.target.checked })} />
          {usesTls(value) ? (
            <>
              <Checkbox label={t('docker.tlsVerify')} hint={t('docker.tlsVerifyHint')} checked={value.tls_verify} onChange={(event) => onChange({ tls_verify: event.target.checked })} />
              <TextAreaConfigField name="tls_ca" label={t('http.tlsCa')} errors={errors} value={value.tls_ca} placeholder="-----BEGIN CERTIFICATE-----" onChange={(tls_ca) => onChange({ tls_ca })} />
              <TextAreaConfigField name="tls_cert" label={t('http.tlsCert')} errors={errors} value={value.tls_cert} placeholder="-----BEGIN CERTIFICATE-----" onChange={(tls_cert) => onChange({ tls_cert })} />
              <TextAreaConfigField name="tls_key" label={t('http.tlsKey')} errors={errors} value={value.tls_key} placeholder="-----BEGIN PRIVATE KEY-----" onChange={(tls_key) => onChange({ tls_key })} />
            </>
          ) : null}
        </FormSection>
      ) : null}
    </>
  ),
})
