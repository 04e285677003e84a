import { checkConfig, readConfig, variablesOf } from './config-schema';
import { declaredConfig } from './config-registry';
import { IntakeConfig } from './intake.config';
import { KeyringConfig } from './keyring.config';
import { MessagingConfig } from './messaging.config';
import { PersistenceConfig } from './persistence.config';
import { PlatformConfig } from './platform.config';
import { reportConfigFaults } from './refuse-invalid-config';
import { RetentionConfig } from './retention.config';

const KEY = Buffer.alloc(32, 7).toString('base64');

/** The faults of one schema for the given variables, as `VARIABLE rule`. */
const faults = (schema: new () => object, env: NodeJS.ProcessEnv) =>
  checkConfig([schema], env).map((f) => `${f.variable} ${f.rule}`);

describe('configuration schemas', () => {
  it('accept an empty environment: every setting has a default or is optional', () => {
    expect(checkConfig(declaredConfig(), {})).toEqual([]);
    expect(checkConfig([IntakeConfig], {})).toEqual([]);
  });

  it('give the defaults, typed', () => {
    expect({ ...readConfig(PlatformConfig, {}) }).toEqual({
      HOST: '127.0.0.1',
      LOG_LEVEL: 'info',
      LOG_FORMAT: 'json',
      HTTP_HEADERS_TIMEOUT_MS: 10_000,
      HTTP_REQUEST_TIMEOUT_MS: 30_000,
      HTTP_IDLE_TIMEOUT_MS: 60_000,
    });
    expect(readConfig(PersistenceConfig, { DATABASE_POOL_SIZE: '25' }).DATABASE_POOL_SIZE).toBe(25);
    expect({ ...readConfig(RetentionConfig, {}) }).toEqual({
      RUTA_INBOX_RETENTION_DAYS: 14,
      RUTA_DECISION_RETENTION_DAYS: 365,
      RUTA_RETENTION_INTERVAL_MINUTES: 60,
    });
  });

  it('treat an empty variable as unset', () => {
    expect(readConfig(MessagingConfig, { KAFKA_BROKERS: '', KAFKA_PARTITIONS: '' }).KAFKA_PARTITIONS).toBe(3);
  });

  it.each([
    [PlatformConfig, 'PORT', ['-1', '65536', '80a', '1.5'], ['0', '3000', '65535']],
    [PlatformConfig, 'HOST', ['local host', 'a/b', '-x'], ['0.0.0.0', 'localhost', '::1', 'svc.ruta.internal']],
    [PlatformConfig, 'LOG_LEVEL', ['verbose', 'INFO'], ['warn', 'silent']],
    [PlatformConfig, 'LOG_FORMAT', ['text'], ['json', 'pretty']],
    [PlatformConfig, 'HTTP_HEADERS_TIMEOUT_MS', ['0', '99', '10s'], ['100', '10000']],
    [PlatformConfig, 'HTTP_REQUEST_TIMEOUT_MS', ['5000', '0'], ['10000', '30000']],
    [PersistenceConfig, 'DATABASE_URL', ['127.0.0.1:5432', 'mysql://h/db', 'postgres://'], ['postgresql://u@h:5432/d']],
    [PersistenceConfig, 'DATABASE_POOL_SIZE', ['0', '1001', 'ten'], ['1', '1000']],
    [
      MessagingConfig,
      'KAFKA_BROKERS',
      ['127.0.0.1', 'h:0', 'h:70000', 'a:1,,b:2', 'kafka://h:9092'],
      ['h:9092', 'a:1, b.c:2', '[::1]:9092'],
    ],
    [MessagingConfig, 'KAFKA_PARTITIONS', ['0', '-1', '3.5'], ['1', '12']],
    [MessagingConfig, 'RUTA_KAFKA_NAMESPACE', ['.x', 'a b', 'x'.repeat(101)], ['accept', 'ci-42.']],
    [IntakeConfig, 'INTAKE_BODY_LIMIT', ['0', '1e6'], ['65536']],
    [IntakeConfig, 'INTAKE_BATCH_BODY_LIMIT', ['-5'], ['8388608']],
    [IntakeConfig, 'INTAKE_BATCH_MAX_EVENTS', ['0', '100001'], ['500']],
    [IntakeConfig, 'INTAKE_MAX_IN_FLIGHT', ['x'], ['256']],
    [KeyringConfig, 'RUTA_IDENTIFIERS_KEY', [Buffer.alloc(16).toString('base64'), KEY.slice(0, -1), `${KEY}A`], [KEY]],
    [KeyringConfig, 'RUTA_IDENTIFIERS_KEY_ID', ['k 1', 'x'.repeat(33)], ['k2', '2026-11.a']],
    [RetentionConfig, 'RUTA_INBOX_RETENTION_DAYS', ['7', '0', '3651'], ['8', '14']],
    [RetentionConfig, 'RUTA_DECISION_RETENTION_DAYS', ['0', 'year'], ['1', '365']],
    [RetentionConfig, 'RUTA_RETENTION_INTERVAL_MINUTES', ['0', '1441'], ['1', '60']],
  ] as const)('%p: %s refuses what breaks its rule and takes what keeps it', (schema, variable, bad, good) => {
    for (const value of bad)
      expect(faults(schema, { [variable]: value })).toEqual([expect.stringMatching(`^${variable} must be `)]);
    for (const value of good) expect(faults(schema, { [variable]: value })).toEqual([]);
  });

  it('cover every variable the services read', () => {
    expect(
      declaredConfig().flatMap(variablesOf).concat(variablesOf(IntakeConfig), variablesOf(KeyringConfig)).sort(),
    ).toEqual(
      [
        'DATABASE_POOL_SIZE',
        'DATABASE_URL',
        'HOST',
        'HTTP_HEADERS_TIMEOUT_MS',
        'HTTP_IDLE_TIMEOUT_MS',
        'HTTP_REQUEST_TIMEOUT_MS',
        'INTAKE_BATCH_BODY_LIMIT',
        'INTAKE_BATCH_MAX_EVENTS',
        'INTAKE_BODY_LIMIT',
        'INTAKE_MAX_IN_FLIGHT',
        'KAFKA_BROKERS',
        'KAFKA_PARTITIONS',
        'LOG_FORMAT',
        'LOG_LEVEL',
        'PORT',
        'RUTA_CONSUMER_MAX_ATTEMPTS',
        'RUTA_DECISION_RETENTION_DAYS',
        'RUTA_IDENTIFIERS_KEY',
        'RUTA_IDENTIFIERS_KEY_ID',
        'RUTA_INBOX_RETENTION_DAYS',
        'RUTA_KAFKA_NAMESPACE',
        'RUTA_RETENTION_INTERVAL_MINUTES',
      ].sort(),
    );
  });

  it('report one line per variable at fault, naming it and its rule, never its value', () => {
    const secret = Buffer.alloc(31, 9).toString('base64');
    const lines: string[] = [];
    const ok = reportConfigFaults(
      [MessagingConfig, KeyringConfig],
      { KAFKA_BROKERS: 'broker-without-port', KAFKA_PARTITIONS: 'many', RUTA_IDENTIFIERS_KEY: secret },
      (line) => lines.push(line),
    );
    expect(ok).toBe(false);
    expect(lines).toEqual([
      'configuration: KAFKA_BROKERS must be a comma-separated list of host:port (entry 1 is not host:port)\n',
      'configuration: KAFKA_PARTITIONS must be an integer from 1 to 10000\n',
      'configuration: RUTA_IDENTIFIERS_KEY must be 32 bytes, base64 encoded (44 characters)\n',
      'configuration: refusing to start, 3 setting(s) at fault\n',
    ]);
    expect(lines.join('')).not.toMatch(/broker-without-port|many/);
    expect(lines.join('')).not.toContain(secret);
  });
});
