import { describe, expect, it } from 'vitest'
import { docker } from './docker'
import { grpcKeyword, isGrpcTarget } from './grpc-keyword'
import { isBroker, kafkaProducer } from './kafka-producer'
import { isMqttHost, mqtt } from './mqtt'
import { rabbitmq } from './rabbitmq'
import { isOid, snmp } from './snmp'

describe('mqtt form', () => {
  it('round-trips Peekaping keys and requires the fields of the chosen check', () => {
    const c = mqtt.fromConfig({ hostname: 'mqtt://broker', port: 1883, topic: 'a/b', check_type: 'keyword' })
    expect(mqtt.validate(c)).toEqual({ success_keyword: expect.any(String) })
    expect(mqtt.toConfig({ ...c, success_keyword: 'ok' })).toMatchObject({ hostname: 'mqtt://broker', check_type: 'keyword', success_keyword: 'ok' })
    expect(Object.keys(mqtt.validate({ ...c, check_type: 'json-query' }))).toEqual(['json_path', 'expected_value'])
  })

  it('mirrors the server host and topic rules', () => {
    expect(isMqttHost('mqtts://broker.example.com')).toBe(true)
    expect(isMqttHost('broker:1883')).toBe(false)
    expect(isMqttHost('::1')).toBe(true)
    const c = mqtt.fromConfig({ hostname: 'h', topic: 'a/#/b' })
    expect(mqtt.validate(c).topic).toBeTruthy()
  })
})

describe('rabbitmq form', () => {
  it('sends nodes as a list and rejects non-URLs', () => {
    const c = rabbitmq.fromConfig({ nodes: ['http://r1:15672', 'http://r2:15672'], username: 'u', password: 'p' })
    expect(c.nodes).toBe('http://r1:15672\nhttp://r2:15672')
    expect(rabbitmq.toConfig({ ...c, nodes: ' http://r1:15672 \n\n' }).nodes).toEqual(['http://r1:15672'])
    expect(rabbitmq.validate({ ...c, nodes: 'rabbit:15672' }).nodes).toBeTruthy()
  })
})

describe('kafka-producer form', () => {
  it('nests SASL options and names their errors like the server', () => {
    const c = kafkaProducer.fromConfig({ brokers: ['k:9092'], topic: 't', message: 'm', sasl_options: { mechanism: 'PLAIN' } })
    expect(Object.keys(kafkaProducer.validate(c))).toEqual(['sasl_options.username', 'sasl_options.password'])
    expect(kafkaProducer.toConfig({ ...c, sasl_username: 'u', sasl_password: 'p' }).sasl_options).toEqual({ mechanism: 'PLAIN', username: 'u', password: 'p' })
    expect(isBroker('kafka-1:9092')).toBe(true)
    expect(isBroker('kafka-1')).toBe(false)
    expect(kafkaProducer.validate({ ...c, mechanism: 'None', topic: 'a b' }).topic).toBeTruthy()
  })
})

describe('docker form', () => {
  it('checks the daemon address for the connection type', () => {
    const c = docker.fromConfig({ container_id: 'web' })
    expect(docker.validate(c)).toEqual({})
    expect(docker.validate({ ...c, connection_type: 'tcp', docker_daemon: 'tcp://host' }).docker_daemon).toBeTruthy()
    expect(docker.validate({ ...c, connection_type: 'tcp', docker_daemon: 'tcp://host:2376' })).toEqual({})
    expect(docker.validate({ ...c, connection_type: 'tcp', docker_daemon: 'tcp://h:2376', tls_enabled: true, tls_cert: '-----BEGIN CERTIFICATE-----' }).tls_key).toBeTruthy()
  })
})

describe('grpc-keyword form', () => {
  it('accepts host:port targets and JSON object bodies', () => {
    expect(isGrpcTarget('localhost:50051')).toBe(true)
    expect(isGrpcTarget('https://grpc.example.com:443')).toBe(true)
    expect(isGrpcTarget('localhost')).toBe(false)
    expect(isGrpcTarget('ftp://h:1')).toBe(false)
    const c = grpcKeyword.fromConfig({ grpcUrl: 'h:1', grpcServiceName: 'grpc.health.v1.Health', grpcMethod: 'Check' })
    expect(grpcKeyword.validate(c)).toEqual({})
    expect(grpcKeyword.validate({ ...c, grpcBody: '[1]' }).grpcBody).toBeTruthy()
  })
})

describe('snmp form', () => {
  it('takes numeric OIDs and refuses v3 like the server', () => {
    expect(isOid('1.3.6.1.2.1.1.1.0')).toBe(true)
    expect(isOid('.1.3.6.1.2.1.1.3.0')).toBe(true)
    expect(isOid('sysDescr.0')).toBe(false)
    const c = snmp.fromConfig({ host: '127.0.0.1', oid: '1.3.6.1.2.1.1.1.0' })
    expect(c.port).toBe(161)
    expect(snmp.validate(c)).toEqual({})
    expect(snmp.validate({ ...c, snmp_version: 'v3' }).snmp_version).toBeTruthy()
  })
})
