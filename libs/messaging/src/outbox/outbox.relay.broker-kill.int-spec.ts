import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { logLevel, type Producer } from 'kafkajs';
import { createServiceDataSource, migrateSchema } from '@ruta/persistence';
import {
  canRestartBroker,
  createTestEnvironment,
  killBroker,
  readWholeTopic,
  startBroker,
  waitUntil,
  type TestEnvironment,
} from '@ruta/testing';
import type { DataSource, MigrationInterface, QueryRunner } from 'typeorm';
import { createKafka, ensureTopics } from '../kafka/kafka.config';
import { createOutboxProducer } from './outbox.producer';
import { OutboxRelay } from './outbox.relay';
import { addOutboxLanes, createOutboxTable } from './outbox.schema';
import { enqueueOutbox, type OutgoingMessage } from './outbox.writer';

class CreateRelayKillOutbox1764300000010 implements MigrationInterface {
  up = async (runner: QueryRunner) => {
    await createOutboxTable(runner, 'relay_kill');
    await addOutboxLanes(runner, 'relay_kill');
  };
  down = async () => undefined;
}

const SCHEMA = 'relay_kill';
const TOPIC = 'relay.kill.v1';
const KEYS = 12;

/** The broker dies (SIGKILL) while the relay is publishing: nothing is lost, no key reordered. */
const describeWithOwnBroker = canRestartBroker() ? describe : describe.skip;

describeWithOwnBroker('OutboxRelay through a broker crash (kill -9)', () => {
  let environment: TestEnvironment;
  let dataSource: DataSource;
  let producer: Producer;

  beforeAll(async () => {
    environment = await createTestEnvironment('relay-kill');
    dataSource = await createServiceDataSource({
      schema: SCHEMA,
      applicationName: 'relay-kill',
      migrations: [CreateRelayKillOutbox1764300000010],
      url: environment.databaseUrl,
    }).initialize();
    await migrateSchema(dataSource, SCHEMA);
    await ensureTopics(environment.kafka, [environment.namespace + TOPIC]);
    // As MessagingService publishes: the production producer (idempotent, unbounded retries).
    producer = createOutboxProducer(createKafka('relay-kill', { logLevel: logLevel.NOTHING }));
    await producer.connect();
  });

  afterAll(async () => {
    await producer?.disconnect();
    await dataSource?.destroy();
    await environment?.teardown();
  });

  const keys = Array.from({ length: KEYS }, () => randomUUID());
  /** Rows seq `from` to `to - 1` of every key, in seq order. */
  const rows = (from: number, to: number): OutgoingMessage[] =>
    Array.from({ length: to - from }, (_, i) =>
      keys.map((key) => ({ topic: TOPIC, key, value: { seq: from + i } })),
    ).flat();
  const outboxCount = async (): Promise<number> =>
    (await dataSource.query(`SELECT count(*)::int AS n FROM ${SCHEMA}.outbox`))[0].n;

  it('publishes every row once the broker is back, each key in order, and empties the outbox', async () => {
    const relay = new OutboxRelay(dataSource, producer, {
      schema: SCHEMA,
      namespace: environment.namespace,
      batchSize: 10,
      pollIntervalMs: 20,
    });
    await dataSource.transaction((m) => enqueueOutbox(m, SCHEMA, rows(0, 200)));
    relay.start();
    // Mid-stream: some batches are out, many still to go.
    await waitUntil(async () => ((await outboxCount()) < KEYS * 200 ? true : undefined), 'the relay to publish');
    await killBroker();
    expect(await outboxCount()).toBeGreaterThan(0);
    // Written while the broker is dead, and after it is back: the stream goes on.
    await dataSource.transaction((m) => enqueueOutbox(m, SCHEMA, rows(200, 250)));
    await startBroker();
    await dataSource.transaction((m) => enqueueOutbox(m, SCHEMA, rows(250, 300)));
    await waitUntil(async () => ((await outboxCount()) === 0 ? true : undefined), 'the outbox to drain', 120_000);
    await relay.stop();

    const published = (await readWholeTopic(environment.kafka, environment.namespace + TOPIC)).map((m) => ({
      key: m.key!.toString(),
      seq: JSON.parse(m.value!.toString()).seq as number,
    }));
    // A batch in flight when the broker died may be sent again (at least once): count distinct rows.
    expect(new Set(published.map((p) => `${p.key}/${p.seq}`)).size).toBe(KEYS * 300);
    for (const key of keys) {
      const firsts = [...new Set(published.filter((p) => p.key === key).map((p) => p.seq))];
      expect(firsts).toEqual(Array.from({ length: 300 }, (_, i) => i));
    }
    expect(await outboxCount()).toBe(0);
  });
});
