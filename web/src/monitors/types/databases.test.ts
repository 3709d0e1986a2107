import { describe, expect, it } from 'vitest'
import { isMongoConnectionString, mongodb } from './mongodb'
import { mysql } from './mysql'
import { postgres, postgresConnectionError } from './postgres'
import { isRedisConnectionString, redis } from './redis'
import { sqlserver, sqlServerConnectionError } from './sqlserver'

describe('postgres form', () => {
  it('takes URLs and key=value strings and checks sslmode like the server', () => {
    expect(postgresConnectionError('postgres://u:p@db:5432/app')).toBeUndefined()
    expect(postgresConnectionError('host=db user=u dbname=app sslmode=verify-full')).toBeUndefined()
    expect(postgresConnectionError('mysql://u@db/app')).toBeTruthy()
    expect(postgresConnectionError('db.example.com')).toBeTruthy()
    expect(postgresConnectionError('postgres://u@db/app?sslmode=sometimes')).toBeTruthy()
    const c = postgres.fromConfig({ database_connection_string: ' postgres://u@db/app ' })
    expect(postgres.toConfig(c)).toEqual({ database_connection_string: 'postgres://u@db/app', database_query: '' })
    expect(postgres.validate({ ...c, database_connection_string: '' })).toEqual({ database_connection_string: expect.any(String) })
  })
})

describe('mysql form', () => {
  it('requires a mysql:// URL with a host', () => {
    const c = mysql.fromConfig({ connection_string: 'mysql://root@127.0.0.1:3306/test', query: 'SELECT 2' })
    expect(mysql.validate(c)).toEqual({})
    expect(mysql.toConfig(c)).toEqual({ connection_string: 'mysql://root@127.0.0.1:3306/test', query: 'SELECT 2' })
    expect(mysql.validate({ ...c, connection_string: 'mariadb://h/db' }).connection_string).toBeTruthy()
    expect(mysql.validate({ ...c, connection_string: 'mysql://' }).connection_string).toBeTruthy()
  })
})

describe('sqlserver form', () => {
  it('takes ADO strings and refuses encryption like the server', () => {
    expect(sqlServerConnectionError('Server=db,1433;Database=app;User Id=sa;Password=x;Encrypt=false')).toBeUndefined()
    expect(sqlServerConnectionError('Data Source=db;User Id=sa;Password=x')).toBeUndefined()
    expect(sqlServerConnectionError('sqlserver://db:1433')).toBeTruthy()
    expect(sqlServerConnectionError('Database=app;User Id=sa')).toBeTruthy()
    expect(sqlServerConnectionError('Server=db;User Id=sa;Encrypt=true')).toBeTruthy()
    const c = sqlserver.fromConfig({ database_connection_string: 'Server=db;User Id=sa;Password=x' })
    expect(sqlserver.validate(c)).toEqual({})
  })
})

describe('mongodb form', () => {
  it('checks the scheme, the command JSON and a path without a value', () => {
    expect(isMongoConnectionString('mongodb://u:p@db:27017/admin')).toBe(true)
    expect(isMongoConnectionString('mongodb+srv://cluster.example.com')).toBe(true)
    expect(isMongoConnectionString('http://db:27017')).toBe(false)
    const c = mongodb.fromConfig({ connectionString: 'mongodb://db' })
    expect(c.command).toBe('{"ping":1}')
    expect(mongodb.validate(c)).toEqual({})
    expect(mongodb.validate({ ...c, command: '{ping:1' }).command).toBeTruthy()
    expect(mongodb.validate({ ...c, command: '[1]' }).command).toBeTruthy()
    expect(mongodb.validate({ ...c, command: '{}' }).command).toBeTruthy()
    expect(Object.keys(mongodb.validate({ ...c, jsonPath: 'ok' }))).toEqual(['expectedValue'])
    expect(mongodb.toConfig({ ...c, jsonPath: ' ok ', expectedValue: '1' })).toMatchObject({ jsonPath: 'ok', expectedValue: '1' })
  })
})

describe('redis form', () => {
  it('checks the scheme and that certificates go with rediss://', () => {
    expect(isRedisConnectionString('redis://:pw@cache:6379/0')).toBe(true)
    expect(isRedisConnectionString('rediss://cache')).toBe(true)
    expect(isRedisConnectionString('http://cache')).toBe(false)
    const c = redis.fromConfig({ databaseConnectionString: 'rediss://cache:6380', ignoreTls: true })
    expect(c.ignoreTls).toBe(true)
    expect(redis.validate(c)).toEqual({})
    expect(redis.validate({ ...c, caCert: 'not pem' }).caCert).toBeTruthy()
    expect(redis.validate({ ...c, clientCert: '-----BEGIN CERTIFICATE-----' }).clientKey).toBeTruthy()
    expect(redis.validate({ ...c, databaseConnectionString: 'redis://cache', caCert: '-----BEGIN CERTIFICATE-----' }).caCert).toBeTruthy()
  })
})
