import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import type { Kafka, Producer } from 'kafkajs';
import { register } from 'prom-client';
import { createConsumerTestBed, type ConsumerTestBed } from '@ruta/testing';
import type { DataSource, EntityManager, QueryRunner } from 'typeorm';
import { BatchConsumer, type ConsumedMessage } from '../consumer/batch-consumer';
import { REDRIVE_FOR_HEADER, type DeadLetterRecord } from '../dead-letters/dead-letter';
import { ensureTopics } from '../kafka/kafka.config';

const SCHEMA = 'parking_test';

/** Effects per group (idempotent by event id, like an inbox) and a one-row-per-key table to race on. */
const ownTables = async (runner: QueryRunner) => {
  await runner.query(`
      CREATE TABLE "${SCHEMA}".effects (
        n        bigserial PRIMARY KEY,
        group_id text NOT NULL,
        event_id text NOT NULL,
        key      text NOT NULL,
        seq      int  NOT NULL,
        UNIQUE (group_id, event_id)
      )`);
  await runner.query(`CREATE TABLE "${SCHEMA}".open_referrals (key text PRIMARY KEY)`);
};

interface TestEvent {
  id: string;
  key: string;
  seq: number;
}

/** Messages on which the handler fails, as a bug would: a TypeError, or a unique violation a few times. */
const poisoned = new Set<string>();
const racing = new Map<string, number>();

/** A handler as the services write them: one multi-row insert per batch, a redelivery changes nothing. */
const recordFor = (group: string) => async (messages: ConsumedMessage[], manager: EntityManager) => {
  const events = messages.map((m) => JSON.parse(m.value!) as TestEvent);
  for (const e of events) {
    if (poisoned.has(e.id)) throw new TypeError('the handler cannot read this message');
    const left = racing.get(e.id) ?? 0;
    if (left > 0) {
      racing.set(e.id, left - 1);
      // As a stale partition owner's open referral would: PostgreSQL answers 23505.
      await manager.query(`INSERT INTO "${SCHEMA}".open_referrals (key) VALUES ($1)`, [e.key]);
    }
  }
  await manager.query(
    `INSERT INTO "${SCHEMA}".effects (group_id, event_id, key, seq)
     SELECT $1, * FROM unnest($2::text[], $3::text[], $4::int[]) ON CONFLICT DO NOTHING`,
    [group, events.map((e) => e.id), events.map((e) => e.key), events.map((e) => e.seq)],
  );
};

describe('key-level parking against Kafka and PostgreSQL', () => {
  let bed: ConsumerTestBed;
  let namespace: string;
  let kafka: Kafka;
  let producer: Producer;
  let dataSource: DataSource;
  const consumers: BatchConsumer[] = [];

  beforeAll(async () => {
    bed = await createConsumerTestBed('parking', SCHEMA, ownTables);
    ({ namespace, kafka, producer, dataSource } = bed);
  });

  afterEach(async () => {
    for (const consumer of consumers.splice(0)) await consumer.stop();
  });

  afterAll(async () => {
    await bed?.teardown();
  });

  const start = async (group: string, topic: string, extra: { producedOutsideRuta?: boolean } = {}) => {
    const consumer = new BatchConsumer(kafka, dataSource, {
      groupId: group,
      topics: [topic],
      handler: recordFor(group),
      schema: SCHEMA,
      namespace,
      maxBackoffMs: 200,
      maxAttempts: 3,
      ...extra,
    });
    consumers.push(consumer);
    await consumer.start();
    return consumer;
  };

  /** Per key, seq 0..perKey-1, interleaved: every partition's batch holds several keys. */
  const streamOf = (keys: string[], from: number, to: number): TestEvent[] => {
    const events: TestEvent[] = [];
    for (let seq = from; seq < to; seq++) for (const key of keys) events.push({ id: randomUUID(), key, seq });
    return events;
  };
  const produce = (topic: string, events: TestEvent[], headers: Record<string, string> = {}) =>
    producer.send({
      topic: namespace + topic,
      acks: -1,
      messages: events.map((e) => ({ key: e.key, value: JSON.stringify(e), headers })),
    });

  const waitFor = async (what: string, check: () => Promise<boolean>) => {
    const deadline = Date.now() + 60_000;
    while (!(await check())) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  };
  /** The group committed every partition of the topic up to its end: the positive signal that it moved on. */
  const committedAll = async (group: string, topic: string) => {
    const admin = kafka.admin();
    await admin.connect();
    try {
      const ends = await admin.fetchTopicOffsets(namespace + topic);
      const [committed] = await admin.fetchOffsets({ groupId: namespace + group, topics: [namespace + topic] });
      const at = (p: number) => committed!.partitions.find((c) => c.partition === p)?.offset;
      return ends.every((e) => e.high === '0' || at(e.partition) === e.high);
    } finally {
      await admin.disconnect();
    }
  };
  const seqsOf = async (group: string, key: string): Promise<number[]> =>
    (
      await dataSource.query(`SELECT seq FROM "${SCHEMA}".effects WHERE group_id = $1 AND key = $2 ORDER BY n`, [
        group,
        key,
      ])
    ).map((r: { seq: number }) => r.seq);
  const parkedOf = async (group: string): Promise<{ key: string; seq: number; code: string }[]> =>
    (
      await dataSource.query(
        `SELECT key, value, code FROM "${SCHEMA}".parked_messages WHERE group_id = $1 ORDER BY partition, kafka_offset`,
        [group],
      )
    ).map((r: { key: string; value: string; code: string }) => ({
      key: r.key,
      seq: (JSON.parse(r.value) as TestEvent).seq,
      code: r.code,
    }));
  const range = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => from + i);
  const metric = async (name: string, labels: string) =>
    ((await register.getSingleMetricAsString(name)).split('\n').find((l) => l.startsWith(`${name}{${labels}}`)) ?? '')
      .split(' ')
      .pop();

  it('parks a failing key behind its message while the other keys flow, then retries it in order', async () => {
    const [topic, group] = ['parking.retry.v1', 'parking-retry'];
    await ensureTopics(kafka, [namespace + topic], 3);
    const keys = Array.from({ length: 6 }, () => randomUUID());
    const stuck = keys[2]!;
    const first = streamOf(keys, 0, 20);
    poisoned.add(first.find((e) => e.key === stuck && e.seq === 7)!.id);
    await produce(topic, first);
    await start(group, topic);

    await waitFor('the first stream committed', () => committedAll(group, topic));
    for (const key of keys) expect(await seqsOf(group, key)).toEqual(key === stuck ? range(0, 7) : range(0, 20));
    // The failing message first, then the rest of its key, in order; nothing of other keys.
    expect(await parkedOf(group)).toEqual(
      range(7, 20).map((seq) => ({ key: stuck, seq, code: seq === 7 ? 'MESSAGE.FAILED' : 'MESSAGE.BEHIND_PARKED' })),
    );

    // Later batches: the parked key keeps waiting behind its first message, the others flow.
    await produce(topic, streamOf(keys, 20, 25));
    await waitFor('the second stream committed', () => committedAll(group, topic));
    for (const key of keys) if (key !== stuck) expect(await seqsOf(group, key)).toEqual(range(0, 25));
    expect((await parkedOf(group)).map((p) => p.seq)).toEqual(range(7, 25));
    expect(await metric('ruta_consumer_parked_messages', `group="${group}",topic="${topic}"`)).toBe('18');
    expect(await metric('ruta_consumer_parked_total', `group="${group}",topic="${topic}",code="MESSAGE.FAILED"`)).toBe(
      '1',
    );

    // Mended: the retry applies the parked messages in order and empties the table; the key flows again.
    poisoned.clear();
    const consumer = consumers[0]!;
    expect(await consumer.listParked()).toHaveLength(18);
    expect(JSON.stringify(await consumer.listParked())).not.toContain(stuck);
    expect(await consumer.retryParked()).toEqual({ retried: 18, failed: [] });
    expect(await parkedOf(group)).toEqual([]);
    await produce(topic, streamOf([stuck], 25, 26));
    await waitFor('the mended key to flow', async () => (await seqsOf(group, stuck)).length === 26);
    expect(await seqsOf(group, stuck)).toEqual(range(0, 26));
  });

  it('a retry that fails again stops at that key’s first message and keeps its order', async () => {
    const [topic, group] = ['parking.again.v1', 'parking-again'];
    await ensureTopics(kafka, [namespace + topic], 1);
    const [key] = [randomUUID()];
    const events = streamOf([key], 0, 4);
    poisoned.add(events[1]!.id);
    await produce(topic, events);
    const consumer = await start(group, topic);
    await waitFor('the stream committed', () => committedAll(group, topic));
    expect((await parkedOf(group)).map((p) => p.seq)).toEqual([1, 2, 3]);

    const report = await consumer.retryParked();
    expect(report.retried).toBe(0);
    expect(report.failed).toEqual([{ topic, partition: 0, offset: '1', errorClass: 'TypeError' }]);
    expect((await parkedOf(group)).map((p) => p.seq)).toEqual([1, 2, 3]);
    poisoned.clear();
  });

  it('a release sends the parked messages to the dead-letter topic by position, and the key flows again', async () => {
    const [topic, group] = ['parking.release.v1', 'parking-release'];
    await ensureTopics(kafka, [namespace + topic], 2);
    const keys = [randomUUID(), randomUUID()];
    const events = streamOf(keys, 0, 6);
    poisoned.add(events.find((e) => e.key === keys[0] && e.seq === 2)!.id);
    await produce(topic, events);
    const consumer = await start(group, topic);
    await waitFor('the stream committed', () => committedAll(group, topic));
    expect((await parkedOf(group)).map((p) => p.seq)).toEqual([2, 3, 4, 5]);
    expect(await seqsOf(group, keys[1]!)).toEqual(range(0, 6));

    expect(await consumer.releaseParked()).toEqual({ released: 4 });
    expect(await parkedOf(group)).toEqual([]);
    const letters: { topic: string; value: string }[] = await dataSource.query(
      `SELECT topic, value FROM "${SCHEMA}".outbox WHERE topic = $1 ORDER BY id`,
      [`${topic}.dlq`],
    );
    const records = letters.map((l) => JSON.parse(l.value) as DeadLetterRecord);
    expect(records.map((r) => [r.errorCode, r.group, r.sourceTopic])).toEqual(
      Array(4).fill(['MESSAGE.RELEASED', group, namespace + topic]),
    );
    expect(records.map((r) => Number(r.sourceOffset))).toEqual(
      [...records.map((r) => Number(r.sourceOffset))].sort((a, b) => a - b),
    );
    for (const l of letters) expect(l.value).not.toContain(keys[0]!);

    poisoned.clear();
    await produce(topic, streamOf([keys[0]!], 6, 7));
    await waitFor('the released key to flow', async () => (await seqsOf(group, keys[0]!)).includes(6));
    expect(await seqsOf(group, keys[0]!)).toEqual([0, 1, 6]);
  });

  it('retries a unique violation (a race between partition owners) instead of dead-lettering it', async () => {
    const [topic, group] = ['parking.race.v1', 'parking-race'];
    await ensureTopics(kafka, [namespace + topic], 1);
    const key = randomUUID();
    await dataSource.query(`INSERT INTO "${SCHEMA}".open_referrals (key) VALUES ($1)`, [key]);
    const events = streamOf([key], 0, 3);
    // Twice: the whole batch, then the message alone (where the old runner dead-lettered it).
    racing.set(events[1]!.id, 2);
    await produce(topic, events);
    await start(group, topic);
    await waitFor('the stream committed', () => committedAll(group, topic));
    expect(await seqsOf(group, key)).toEqual([0, 1, 2]);
    expect(await dataSource.query(`SELECT 1 FROM "${SCHEMA}".outbox WHERE topic = $1`, [`${topic}.dlq`])).toEqual([]);
    expect(await parkedOf(group)).toEqual([]);
  });

  it('honours a redrive header only on topics produced inside Ruta', async () => {
    const topic = 'parking.headers.v1';
    await ensureTopics(kafka, [namespace + topic], 1);
    const key = randomUUID();
    const [copy, marker] = [streamOf([key], 0, 1), streamOf([key], 1, 2)];
    await produce(topic, copy, { [REDRIVE_FOR_HEADER]: 'another-group' });
    await produce(topic, marker);
    await start('parking-outside', topic, { producedOutsideRuta: true });
    await start('parking-inside', topic);
    await waitFor('both groups committed', async () => {
      return (await committedAll('parking-outside', topic)) && (await committedAll('parking-inside', topic));
    });
    // From outside, the header is data: the message is judged and applied like any other.
    expect(await seqsOf('parking-outside', key)).toEqual([0, 1]);
    // Inside, a copy meant for another group is skipped and counted.
    expect(await seqsOf('parking-inside', key)).toEqual([1]);
    expect(await metric('ruta_consumer_redrive_copies_skipped_total', `group="parking-inside",topic="${topic}"`)).toBe(
      '1',
    );
  });
});
