import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { logLevel, type Consumer, type Kafka, type Producer } from 'kafkajs';
import { createServiceDataSource, migrateSchema } from '@ruta/persistence';
import {
  canRestartBroker,
  createTestEnvironment,
  readWholeTopic,
  startBroker,
  stopBroker,
  waitUntil,
  type TestEnvironment,
} from '@ruta/testing';
import { Client } from 'pg';
import { register } from 'prom-client';
import type { DataSource, MigrationInterface, QueryRunner } from 'typeorm';
import { createKafka, ensureTopics } from '../kafka/kafka.config';
import { createOutboxProducer } from './outbox.producer';
import { addOutboxLanes, createOutboxTable } from './outbox.schema';
import { OutboxRelay } from './outbox.relay';
import { enqueueOutbox, type OutgoingMessage } from './outbox.writer';

class CreateRelayTestOutbox1764300000009 implements MigrationInterface {
  up = async (runner: QueryRunner) => {
    await createOutboxTable(runner, 'relay_test');
    await addOutboxLanes(runner, 'relay_test');
  };
  down = async () => undefined;
}

const SCHEMA = 'relay_test';
const TOPIC = 'relay.test.v1';

describe('OutboxRelay against PostgreSQL and Kafka', () => {
  let environment: TestEnvironment;
  let namespace: string;
  let kafka: Kafka;
  let producer: Producer;
  let dataSource: DataSource;
  let consumer: Consumer;
  const received: { key: string; seq: number }[] = [];

  beforeAll(async () => {
    environment = await createTestEnvironment('relay');
    ({ namespace, kafka } = environment);
    producer = createOutboxProducer(kafka);
    dataSource = await createServiceDataSource({
      schema: SCHEMA,
      applicationName: 'relay-test',
      migrations: [CreateRelayTestOutbox1764300000009],
      url: environment.databaseUrl,
    }).initialize();
    await migrateSchema(dataSource, SCHEMA);
    await ensureTopics(kafka, [namespace + TOPIC]);
    await producer.connect();
    consumer = await startReader();
  });

  /** Reads TOPIC into `received`; the group's committed offsets carry it across a restart. */
  const startReader = async (): Promise<Consumer> => {
    const reader = kafka.consumer({ groupId: `${namespace}relay-test-reader`, maxWaitTimeInMs: 100 });
    await reader.connect();
    await reader.subscribe({ topic: namespace + TOPIC, fromBeginning: true });
    await reader.run({
      eachMessage: async ({ message }) => {
        received.push({ key: message.key!.toString(), seq: JSON.parse(message.value!.toString()).seq });
      },
    });
    return reader;
  };

  afterAll(async () => {
    await consumer?.disconnect();
    await producer?.disconnect();
    await dataSource?.destroy();
    await environment?.teardown();
  });

  const messages = (keys: string[], perKey: number): OutgoingMessage[] =>
    Array.from({ length: perKey }, (_, seq) => keys.map((key) => ({ topic: TOPIC, key, value: { seq } }))).flat();

  const waitFor = async (count: number) => {
    const deadline = Date.now() + 30_000;
    while (received.length < count && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  };

  it('publishes rows committed before the relay started (a crash between commit and publish loses nothing)', async () => {
    const keys = Array.from({ length: 10 }, () => randomUUID());
    // Committed while no relay runs: the state a crash after commit and before publish leaves.
    await dataSource.transaction((m) => enqueueOutbox(m, SCHEMA, messages(keys, 120)));
    const relay = new OutboxRelay(dataSource, producer, {
      schema: SCHEMA,
      namespace,
      batchSize: 100,
      pollIntervalMs: 50,
    });
    relay.start();
    await waitFor(1200);
    await relay.stop();

    expect(received).toHaveLength(1200);
    for (const key of keys) {
      // Every message exactly once, and each key's messages in the order they were written.
      expect(received.filter((r) => r.key === key).map((r) => r.seq)).toEqual(Array.from({ length: 120 }, (_, i) => i));
    }
    const [{ count }] = await dataSource.query(`SELECT count(*)::int AS count FROM ${SCHEMA}.outbox`);
    expect(count).toBe(0);
  });

  it('keeps each key in order with three relay replicas publishing at once, each message once', async () => {
    received.length = 0;
    const keys = Array.from({ length: 40 }, () => randomUUID());
    const replicas = Array.from(
      { length: 3 },
      () => new OutboxRelay(dataSource, producer, { schema: SCHEMA, namespace, batchSize: 50, pollIntervalMs: 20 }),
    );
    replicas.forEach((r) => r.start());
    // Written while the replicas run, in many small transactions, as a busy service does.
    for (let seq = 0; seq < 30; seq++) {
      await dataSource.transaction((m) =>
        enqueueOutbox(
          m,
          SCHEMA,
          keys.map((key) => ({ topic: TOPIC, key, value: { seq } })),
        ),
      );
    }
    await waitFor(1200);
    await Promise.all(replicas.map((r) => r.stop()));
    expect(received).toHaveLength(1200);
    for (const key of keys) {
      expect(received.filter((r) => r.key === key).map((r) => r.seq)).toEqual(Array.from({ length: 30 }, (_, i) => i));
    }
  });

  it('publishes nothing from a transaction that rolled back', async () => {
    received.length = 0;
    await expect(
      dataSource.transaction(async (m) => {
        await enqueueOutbox(m, SCHEMA, [{ topic: TOPIC, key: 'one-person', value: { seq: -1 } }]);
        throw new Error('business failure after the outbox write');
      }),
    ).rejects.toThrow('business failure');
    // The same key after it: a key's messages are published in order, so the last one (a marker)
    // arriving proves that nothing written before it is still to come.
    await dataSource.transaction((m) => enqueueOutbox(m, SCHEMA, messages(['one-person'], 3)));
    const relay = new OutboxRelay(dataSource, producer, { schema: SCHEMA, namespace, pollIntervalMs: 50 });
    relay.start();
    await waitFor(3);
    await relay.stop();
    expect(received).toEqual([0, 1, 2].map((seq) => ({ key: 'one-person', seq })));
  });

  it('replaces its database session when it breaks, and goes on publishing once it can reconnect', async () => {
    received.length = 0;
    const relayDb = await createServiceDataSource({
      schema: SCHEMA,
      applicationName: 'relay-session',
      migrations: [],
      url: environment.databaseUrl,
    }).initialize();
    const relay = new OutboxRelay(relayDb, producer, {
      schema: SCHEMA,
      namespace,
      pollIntervalMs: 20,
      maxBackoffMs: 200,
    });
    relay.start();
    await dataSource.transaction((m) => enqueueOutbox(m, SCHEMA, messages(['before'], 2)));
    await waitFor(2);
    const url = new URL(environment.databaseUrl);
    const database = url.pathname.slice(1);
    url.pathname = '/postgres';
    const admin = new Client({ connectionString: url.toString() });
    await admin.connect();
    const failuresBefore = await publishFailures();
    // Cut the relay's session and refuse new ones for a while, as a database restart would.
    await admin.query(`ALTER DATABASE "${database}" ALLOW_CONNECTIONS false`);
    try {
      const { rows } = await admin.query<{ cut: number }>(
        `SELECT count(pg_terminate_backend(pid))::int AS cut FROM pg_stat_activity
         WHERE datname = $1 AND application_name = 'relay-session'`,
        [database],
      );
      expect(rows[0]!.cut).toBeGreaterThan(0);
      await waitUntil(
        async () => ((await publishFailures()) > failuresBefore ? true : undefined),
        'the relay to fail to reconnect',
      );
    } finally {
      await admin.query(`ALTER DATABASE "${database}" ALLOW_CONNECTIONS true`);
      await admin.end();
    }
    await dataSource.transaction((m) => enqueueOutbox(m, SCHEMA, messages(['after'], 2)));
    await waitFor(4);
    await relay.stop();
    await relayDb.destroy();
    expect(received.map((r) => r.key)).toEqual(['before', 'before', 'after', 'after']);
  });

  /** ruta_outbox_publish_failures_total for this schema, from this process's registry. */
  const publishFailures = async (): Promise<number> => {
    const metric = await register.getSingleMetric('ruta_outbox_publish_failures_total')?.get();
    return metric?.values.find((v) => v.labels.schema === SCHEMA)?.value ?? 0;
  };

  const itWithBrokerRestart = canRestartBroker() ? it : it.skip;

  itWithBrokerRestart(
    'holds no transaction while the broker is down: rows wait, then are published once, in order',
    async () => {
      const topic = 'relay.outage.v1';
      await ensureTopics(kafka, [namespace + topic]);
      // As MessagingService publishes: the production producer (idempotent, unbounded retries).
      const relayKafka = createKafka('relay-outage', { logLevel: logLevel.NOTHING });
      const relayProducer = createOutboxProducer(relayKafka);
      await relayProducer.connect();
      const relayDb = await createServiceDataSource({
        schema: SCHEMA,
        applicationName: 'relay-outage',
        migrations: [],
        url: environment.databaseUrl,
      }).initialize();
      const relay = new OutboxRelay(relayDb, relayProducer, { schema: SCHEMA, namespace, pollIntervalMs: 50 });
      const keys = Array.from({ length: 8 }, () => randomUUID());
      // A consumer that loses its broker restarts itself after disconnect() and keeps jest alive.
      await consumer.disconnect();
      await stopBroker();
      try {
        await dataSource.transaction((m) =>
          enqueueOutbox(
            m,
            SCHEMA,
            messages(keys, 10).map((message) => ({ ...message, topic })),
          ),
        );
        relay.start();
        // Watched while the relay waits on Kafka holding its lanes: no open transaction, no snapshot.
        const sessions: RelaySession[] = [];
        await waitUntil(async () => {
          sessions.push(...(await relaySessions('relay-outage')));
          return sessions.filter((s) => s.lanes > 0 && s.state !== 'active').length >= 5 ? true : undefined;
        }, 'the relay to hold its lanes while publishing');
        // A statement running at that instant has a snapshot; between statements there is none.
        const waiting = sessions.filter((s) => s.state !== 'active');
        expect(waiting.filter((s) => s.state === 'idle in transaction' || s.xid !== null || s.xmin !== null)).toEqual(
          [],
        );
        expect(await outboxCount()).toBe(80);
      } finally {
        await startBroker();
        consumer = await startReader();
      }
      await waitUntil(async () => ((await outboxCount()) === 0 ? true : undefined), 'the outbox to drain');
      await relay.stop();
      await relayProducer.disconnect();
      await relayDb.destroy();
      const published = (await readWholeTopic(kafka, namespace + topic)).map((m) => ({
        key: m.key!.toString(),
        seq: JSON.parse(m.value!.toString()).seq as number,
      }));
      expect(published).toHaveLength(80);
      for (const key of keys) {
        expect(published.filter((p) => p.key === key).map((p) => p.seq)).toEqual(
          Array.from({ length: 10 }, (_, i) => i),
        );
      }
    },
  );

  interface RelaySession {
    state: string;
    xid: string | null;
    xmin: string | null;
    lanes: number;
  }

  /** The relay's connections to this test's database, and the advisory locks (lanes) each holds. */
  const relaySessions = (applicationName: string): Promise<RelaySession[]> =>
    dataSource.query(
      `SELECT a.state, a.backend_xid::text AS xid, a.backend_xmin::text AS xmin,
              (SELECT count(*)::int FROM pg_locks l WHERE l.pid = a.pid AND l.locktype = 'advisory') AS lanes
       FROM pg_stat_activity a WHERE a.datname = current_database() AND a.application_name = $1`,
      [applicationName],
    );

  const outboxCount = async (): Promise<number> =>
    (await dataSource.query(`SELECT count(*)::int AS count FROM ${SCHEMA}.outbox`))[0].count;
});
