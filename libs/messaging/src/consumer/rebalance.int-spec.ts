import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import type { Kafka, Producer } from 'kafkajs';
import { createConsumerTestBed, type ConsumerTestBed } from '@ruta/testing';
import type { DataSource, EntityManager, QueryRunner } from 'typeorm';
import { claimInbox } from '../inbox/inbox';
import { ensureTopics } from '../kafka/kafka.config';
import { BatchConsumer } from './batch-consumer';
import type { ConsumedMessage } from './consumed-message';

const SCHEMA = 'rebalance_test';
const TOPIC = 'rebalance.test.v1';
const GROUP = 'rebalance-test';

const ownTables = async (runner: QueryRunner) => {
  await runner.query(`
      CREATE TABLE "${SCHEMA}".effects (
        n        bigserial PRIMARY KEY,
        member   text NOT NULL,
        event_id text NOT NULL,
        key      text NOT NULL,
        seq      int  NOT NULL
      )`);
};

interface TestEvent {
  id: string;
  key: string;
  seq: number;
}

/** Inbox first, then the effects: a batch applied by two members (kafkajs#1046) counts once. */
const applyAs = (member: string) => async (messages: ConsumedMessage[], manager: EntityManager) => {
  const events = messages.map((m) => JSON.parse(m.value!) as TestEvent);
  const fresh = await claimInbox(
    manager,
    SCHEMA,
    events.map((e) => e.id),
  );
  const rows = events.filter((e) => fresh.delete(e.id));
  await manager.query(
    `INSERT INTO "${SCHEMA}".effects (member, event_id, key, seq)
     SELECT $1, * FROM unnest($2::text[], $3::text[], $4::int[])`,
    [member, rows.map((e) => e.id), rows.map((e) => e.key), rows.map((e) => e.seq)],
  );
};

describe('BatchConsumer: two members of one group rebalancing mid-stream', () => {
  let bed: ConsumerTestBed;
  let namespace: string;
  let kafka: Kafka;
  let producer: Producer;
  let dataSource: DataSource;
  const members: BatchConsumer[] = [];

  beforeAll(async () => {
    bed = await createConsumerTestBed('rebalance-runner', SCHEMA, ownTables);
    ({ namespace, kafka, producer, dataSource } = bed);
    await ensureTopics(kafka, [namespace + TOPIC], 6);
  });

  afterAll(async () => {
    for (const member of members) await member.stop();
    await bed?.teardown();
  });

  const join = async (member: string) => {
    const consumer = new BatchConsumer(kafka, dataSource, {
      groupId: GROUP,
      topics: [TOPIC],
      handler: applyAs(member),
      schema: SCHEMA,
      namespace,
      maxBackoffMs: 200,
      sessionTimeoutMs: 10_000,
      heartbeatIntervalMs: 500,
    });
    members.push(consumer);
    await consumer.start();
    return consumer;
  };
  const count = async (sql: string, params: unknown[] = []) => Number((await dataSource.query(sql, params))[0].count);
  const waitFor = async (what: string, check: () => Promise<boolean>) => {
    const deadline = Date.now() + 90_000;
    while (!(await check())) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  };
  const appliedBy = (member: string) => count(`SELECT count(*) FROM "${SCHEMA}".effects WHERE member = $1`, [member]);

  it('applies every event once and in order per key while a member joins and another leaves', async () => {
    const keys = Array.from({ length: 40 }, () => randomUUID());
    const sent: TestEvent[] = [];
    let flowing = true;
    // Every key's next event every 50 ms until told to stop: the stream flows through both rebalances.
    const stream = (async () => {
      for (let seq = 0; flowing && seq < 2000; seq++) {
        const events = keys.map((key) => ({ id: randomUUID(), key, seq }));
        await producer.send({
          topic: namespace + TOPIC,
          acks: -1,
          messages: events.map((e) => ({ key: e.key, value: JSON.stringify(e) })),
        });
        sent.push(...events);
        await new Promise((r) => setTimeout(r, 50));
      }
    })();

    const first = await join('first');
    await waitFor('the first member to apply', async () => (await appliedBy('first')) > 0);
    await join('second');
    await waitFor('the second member to apply', async () => (await appliedBy('second')) > 0);
    await first.stop();
    const atLeave = await appliedBy('second');
    await waitFor('the second member to go on alone', async () => (await appliedBy('second')) > atLeave + 200);
    flowing = false;
    await stream;

    await waitFor(
      'every event applied',
      async () => (await count(`SELECT count(*) FROM "${SCHEMA}".inbox`)) >= sent.length,
    );
    const effects: { event_id: string; key: string; seq: number }[] = await dataSource.query(
      `SELECT event_id, key, seq FROM "${SCHEMA}".effects ORDER BY n`,
    );
    // In and out: each sent event has exactly one effect, and each key's effects are in order.
    expect(effects).toHaveLength(sent.length);
    expect(new Set(effects.map((e) => e.event_id)).size).toBe(sent.length);
    const perKey = sent.length / keys.length;
    for (const key of keys) {
      expect(effects.filter((e) => e.key === key).map((e) => e.seq)).toEqual(
        Array.from({ length: perKey }, (_, seq) => seq),
      );
    }
  });
});
