import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import type { Kafka, Producer } from 'kafkajs';
import { createConsumerTestBed, type ConsumerTestBed } from '@ruta/testing';
import type { DataSource, EntityManager, QueryRunner } from 'typeorm';
import type { DeadLetterRecord } from '../dead-letters/dead-letter';
import { claimInbox } from '../inbox/inbox';
import { ensureTopics } from '../kafka/kafka.config';
import { BatchConsumer, type ConsumedMessage } from './batch-consumer';

const SCHEMA = 'runner_test';
const TOPIC = 'runner.test.v1';

/** Effects table whose CHECK refuses one value: PostgreSQL itself rejects that message (SQLSTATE 23514). */
const ownTables = async (runner: QueryRunner) => {
  await runner.query(`
      CREATE TABLE "${SCHEMA}".effects (
        n        bigserial PRIMARY KEY,
        event_id text NOT NULL UNIQUE,
        key      text NOT NULL,
        seq      int  NOT NULL,
        note     text NOT NULL CHECK (note <> 'refused-by-the-database')
      )`);
};

interface TestEvent {
  id: string;
  key: string;
  seq: number;
  note: string;
}

/** A handler as the services write them: inbox first, then one multi-row insert for the batch. */
async function applyEffects(messages: ConsumedMessage[], manager: EntityManager) {
  const events = messages.map((m) => JSON.parse(m.value!) as TestEvent);
  const fresh = await claimInbox(
    manager,
    SCHEMA,
    events.map((e) => e.id),
  );
  const rows = events.filter((e) => fresh.has(e.id));
  await manager.query(
    `INSERT INTO "${SCHEMA}".effects (event_id, key, seq, note)
     SELECT * FROM unnest($1::text[], $2::text[], $3::int[], $4::text[])`,
    [rows.map((e) => e.id), rows.map((e) => e.key), rows.map((e) => e.seq), rows.map((e) => e.note)],
  );
}

describe('BatchConsumer against Kafka and PostgreSQL', () => {
  let bed: ConsumerTestBed;
  let namespace: string;
  let kafka: Kafka;
  let producer: Producer;
  let dataSource: DataSource;

  beforeAll(async () => {
    bed = await createConsumerTestBed('runner', SCHEMA, ownTables);
    ({ namespace, kafka, producer, dataSource } = bed);
    await ensureTopics(kafka, [namespace + TOPIC], 3);
  });

  afterAll(async () => {
    await bed?.teardown();
  });

  const count = async (sql: string): Promise<number> => {
    const [{ count }] = await dataSource.query(sql);
    return Number(count);
  };

  it('dead-letters the message PostgreSQL refuses and applies the rest of its batch, in order, once', async () => {
    const keys = Array.from({ length: 6 }, () => randomUUID());
    const perKey = 40;
    const refused = { key: keys[2]!, seq: 17 };
    const events: TestEvent[] = [];
    for (let seq = 0; seq < perKey; seq++) {
      for (const key of keys) {
        const note = key === refused.key && seq === refused.seq ? 'refused-by-the-database' : `n${seq}`;
        events.push({ id: randomUUID(), key, seq, note });
      }
    }
    // One send: every partition's batch holds the refused message's neighbours, before and after.
    await producer.send({
      topic: namespace + TOPIC,
      acks: -1,
      messages: events.map((e) => ({ key: e.key, value: JSON.stringify(e) })),
    });

    const consumer = new BatchConsumer(kafka, dataSource, {
      groupId: 'runner-test',
      topics: [TOPIC],
      handler: applyEffects,
      schema: SCHEMA,
      namespace,
      maxBackoffMs: 500,
    });
    await consumer.start();
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline) {
      const applied = await count(`SELECT count(*) FROM "${SCHEMA}".effects`);
      const letters = await count(`SELECT count(*) FROM "${SCHEMA}".outbox`);
      if (applied + letters >= events.length) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    // Offsets are committed after the database commit: wait for the group to reach the end.
    const admin = kafka.admin();
    await admin.connect();
    const ends = await admin.fetchTopicOffsets(namespace + TOPIC);
    const committedAll = async () => {
      const [committed] = await admin.fetchOffsets({ groupId: namespace + 'runner-test', topics: [namespace + TOPIC] });
      const at = (partition: number) => committed!.partitions.find((p) => p.partition === partition)?.offset;
      // A partition no message was keyed to has nothing to commit.
      return ends.every((e) => e.high === '0' || at(e.partition) === e.high);
    };
    while (!(await committedAll()) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
    await consumer.stop();
    expect(await committedAll()).toBe(true);
    await admin.disconnect();

    // Events in, effects out: all but the refused one applied, none twice.
    const effects: { event_id: string; key: string; seq: number }[] = await dataSource.query(
      `SELECT event_id, key, seq FROM "${SCHEMA}".effects ORDER BY n`,
    );
    expect(effects).toHaveLength(events.length - 1);
    expect(new Set(effects.map((e) => e.event_id)).size).toBe(events.length - 1);
    for (const key of keys) {
      const expected = Array.from({ length: perKey }, (_, seq) => seq).filter(
        (seq) => key !== refused.key || seq !== refused.seq,
      );
      expect(effects.filter((e) => e.key === key).map((e) => e.seq)).toEqual(expected);
    }

    // The refused one is a dead letter: its position and the reason, never its content.
    const letters: { topic: string; value: string }[] = await dataSource.query(
      `SELECT topic, value FROM "${SCHEMA}".outbox`,
    );
    expect(letters).toHaveLength(1);
    expect(letters[0]!.topic).toBe(`${TOPIC}.dlq`);
    const record = JSON.parse(letters[0]!.value) as DeadLetterRecord;
    expect(record).toMatchObject({
      sourceTopic: namespace + TOPIC,
      group: 'runner-test',
      errorCode: 'MESSAGE.UNPROCESSABLE',
    });
    expect(letters[0]!.value).not.toContain('refused-by-the-database');
    expect(letters[0]!.value).not.toContain(refused.key);
  });
});
