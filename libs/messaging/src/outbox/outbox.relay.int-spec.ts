import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import type { Consumer, Kafka, Producer } from 'kafkajs';
import { createServiceDataSource, migrateSchema } from '@ruta/persistence';
import { createTestEnvironment, type TestEnvironment } from '@ruta/testing';
import type { DataSource, MigrationInterface, QueryRunner } from 'typeorm';
import { ensureTopics } from '../kafka/kafka.config';
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
    producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    dataSource = await createServiceDataSource({
      schema: SCHEMA,
      applicationName: 'relay-test',
      migrations: [CreateRelayTestOutbox1764300000009],
      url: environment.databaseUrl,
    }).initialize();
    await migrateSchema(dataSource, SCHEMA);
    await ensureTopics(kafka, [namespace + TOPIC]);
    await producer.connect();
    consumer = kafka.consumer({ groupId: `${namespace}relay-test-reader`, maxWaitTimeInMs: 100 });
    await consumer.connect();
    await consumer.subscribe({ topic: namespace + TOPIC, fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ message }) => {
        received.push({ key: message.key!.toString(), seq: JSON.parse(message.value!.toString()).seq });
      },
    });
  });

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
        await enqueueOutbox(m, SCHEMA, messages(['rolled-back'], 3));
        throw new Error('business failure after the outbox write');
      }),
    ).rejects.toThrow('business failure');
    await dataSource.transaction((m) => enqueueOutbox(m, SCHEMA, messages(['committed'], 2)));
    const relay = new OutboxRelay(dataSource, producer, { schema: SCHEMA, namespace, pollIntervalMs: 50 });
    relay.start();
    await waitFor(2);
    await new Promise((r) => setTimeout(r, 500));
    await relay.stop();
    expect(received.map((r) => r.key)).toEqual(['committed', 'committed']);
  });

  it('keeps rows in the outbox while Kafka refuses them, and publishes them once it accepts', async () => {
    received.length = 0;
    // A producer that was never connected fails every send, as when the broker is unreachable.
    const unreachable = kafka.producer({ retry: { retries: 0 } });
    await dataSource.transaction((m) => enqueueOutbox(m, SCHEMA, messages(['retried'], 5)));
    await expect(
      new OutboxRelay(dataSource, unreachable, { schema: SCHEMA, namespace }).publishBatch(),
    ).rejects.toThrow();
    const [{ count }] = await dataSource.query(`SELECT count(*)::int AS count FROM ${SCHEMA}.outbox`);
    expect(count).toBe(5);
    expect(await new OutboxRelay(dataSource, producer, { schema: SCHEMA, namespace }).publishBatch()).toBe(5);
    await waitFor(5);
    expect(received.map((r) => r.seq)).toEqual([0, 1, 2, 3, 4]);
  });
});
