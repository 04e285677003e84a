import 'reflect-metadata';
import { ConfigResourceTypes, Kafka, logLevel, type KafkaMessage, type Producer } from 'kafkajs';
import { contractsByType, OPERATIONS_EVENT_CONTRACTS, Topics, validateCloudEvent } from '@ruta/contracts';
import { createTestEnvironment, type TestEnvironment } from '@ruta/testing';
import { ensureTopics } from '../kafka/kafka.config';
import { deadLetterTopic, REDRIVE_FOR_HEADER, toDeadLetterMessage } from './dead-letter';
import { redriveDeadLetters, RedriveUnavailableError } from './redrive';

/** Who the redrives of this spec are recorded as. */
const OPERATOR = { actor: 'test-admin', channel: 'http' as const };
const TOPIC = 'redrive.test.v1';
const LARGE = 'redrive.large.v1';
const REFUSED = 'redrive.refused.v1';
/** Each alone fits the broker's default limit (1 MB); two in one request do not. */
const LARGE_VALUE_BYTES = 600 * 1024;

describe('redriveDeadLetters against Kafka', () => {
  let environment: TestEnvironment;
  let namespace: string;
  let kafka: Kafka;
  let producer: Producer;

  beforeAll(async () => {
    environment = await createTestEnvironment('redrive');
    ({ namespace, kafka } = environment);
    const topics = [TOPIC, LARGE, REFUSED].flatMap((t) => [namespace + t, namespace + deadLetterTopic(t)]);
    await ensureTopics(kafka, topics, 1);
    producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
  });

  afterAll(async () => {
    await producer?.disconnect();
    await environment?.teardown();
  });

  /** Dead letters of `group` for offsets of partition 0 of `topic`, one by one. */
  const letterFor = (topic: string, offset: string, group = 'health') =>
    toDeadLetterMessage({ topic, partition: 0, offset, code: 'MESSAGE.INVALID', errors: [] }, group, { namespace });

  async function deadLetter(topic: string, letters: ReturnType<typeof letterFor>[]): Promise<void> {
    await producer.send({
      topic: namespace + deadLetterTopic(topic),
      acks: -1,
      messages: letters.map((l) => ({ key: l.key, value: JSON.stringify(l.value), headers: l.headers })),
    });
  }

  /** Sends each message in a request of its own, as the services' producers did. */
  async function produceOneByOne(topic: string, messages: { key: string; value: Buffer }[]): Promise<void> {
    for (const message of messages) await producer.send({ topic: namespace + topic, acks: -1, messages: [message] });
  }

  /** Every message of a physical topic, read from the start until `count` arrived. */
  async function readAll(topic: string, count: number): Promise<KafkaMessage[]> {
    const consumer = kafka.consumer({ groupId: `${namespace}redrive-test-reader-${Date.now()}`, maxWaitTimeInMs: 100 });
    const read: KafkaMessage[] = [];
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({ eachMessage: async ({ message }) => void read.push(message) });
    const deadline = Date.now() + 30_000;
    while (read.length < count && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    await consumer.disconnect();
    return read;
  }

  it('re-publishes each original once per group, from far apart offsets, and moves nothing twice', async () => {
    await producer.send({
      topic: namespace + TOPIC,
      acks: -1,
      messages: Array.from({ length: 500 }, (_, i) => ({ key: `k${i % 7}`, value: `m${i}` })),
    });
    // Offsets 3 and 480 failed in group health; 3 was dead-lettered twice (its batch was retried);
    // 480 also failed in group audit.
    const letter = (offset: string, group: string) =>
      toDeadLetterMessage({ topic: TOPIC, partition: 0, offset, code: 'MESSAGE.INVALID', errors: [] }, group, {
        namespace,
      });
    const letters = [letter('3', 'health'), letter('480', 'health'), letter('3', 'health'), letter('480', 'audit')];
    await deadLetter(TOPIC, letters);

    const progress: string[] = [];
    const report = await redriveDeadLetters(kafka, {
      topic: TOPIC,
      namespace,
      requestedBy: OPERATOR,
      onProgress: (l) => progress.push(l),
    });
    expect(report).toEqual({
      topic: TOPIC,
      deadLetterTopic: deadLetterTopic(TOPIC),
      examined: 4,
      moved: 3,
      missing: 0,
      repeated: 1,
      refused: 0,
    });
    expect(progress).toEqual([`read 4 dead letters from ${deadLetterTopic(TOPIC)}`]);

    const copies = (await readAll(namespace + TOPIC, 503)).slice(500);
    expect(copies.map((m) => [m.value!.toString(), m.headers![REDRIVE_FOR_HEADER]!.toString()])).toEqual([
      ['m3', 'health'],
      ['m480', 'health'],
      ['m480', 'audit'],
    ]);
    expect(copies.map((m) => m.key!.toString())).toEqual(['k3', 'k4', 'k4']);

    // The audit log's record of it: who redrove, how, and what came of it, checked by its contract.
    const [record] = await readAll(namespace + Topics.operations, 1);
    const event = JSON.parse(record!.value!.toString());
    expect(validateCloudEvent(event, contractsByType(OPERATIONS_EVENT_CONTRACTS)).ok).toBe(true);
    expect(event).toMatchObject({ type: 'dead-letters.redriven', subject: 'ruta-operations' });
    expect(event.data).toMatchObject({
      topic: TOPIC,
      actor: 'test-admin',
      channel: 'http',
      examined: 4,
      moved: 3,
      repeated: 1,
    });

    // Run again: those dead letters are done.
    expect(await redriveDeadLetters(kafka, { topic: TOPIC, namespace, requestedBy: OPERATOR })).toMatchObject({
      examined: 0,
      moved: 0,
    });
  });

  it('moves two large originals of one key, which together exceed what the broker takes in one request', async () => {
    const large = (fill: string) => Buffer.alloc(LARGE_VALUE_BYTES, fill);
    await produceOneByOne(LARGE, [
      { key: 'person-1', value: large('a') },
      { key: 'person-1', value: large('b') },
    ]);
    await deadLetter(LARGE, [letterFor(LARGE, '0'), letterFor(LARGE, '1')]);

    const report = await redriveDeadLetters(kafka, { topic: LARGE, namespace, requestedBy: OPERATOR });

    expect(report).toMatchObject({ examined: 2, moved: 2, missing: 0, repeated: 0, refused: 0 });
    const copies = (await readAll(namespace + LARGE, 4)).slice(2);
    expect(copies.map((m) => [m.key!.toString(), m.value!.length, m.value![0]])).toEqual([
      ['person-1', LARGE_VALUE_BYTES, 'a'.charCodeAt(0)],
      ['person-1', LARGE_VALUE_BYTES, 'b'.charCodeAt(0)],
    ]);
    expect(await redriveDeadLetters(kafka, { topic: LARGE, namespace, requestedBy: OPERATOR })).toMatchObject({
      examined: 0,
      moved: 0,
    });
  });

  it('reports an original the broker now refuses for good and still moves the dead letters behind it', async () => {
    await produceOneByOne(REFUSED, [
      { key: 'person-1', value: Buffer.from('small-before') },
      { key: 'person-2', value: Buffer.alloc(LARGE_VALUE_BYTES, 'x') },
      { key: 'person-3', value: Buffer.from('small-after') },
    ]);
    // The topic's limit is lowered after the fact: the large original can no longer be written back.
    const admin = kafka.admin();
    await admin.connect();
    await admin.alterConfigs({
      validateOnly: false,
      resources: [
        {
          type: ConfigResourceTypes.TOPIC,
          name: namespace + REFUSED,
          configEntries: [{ name: 'max.message.bytes', value: String(100 * 1024) }],
        },
      ],
    });
    await admin.disconnect();
    await deadLetter(
      REFUSED,
      ['0', '1', '2'].map((offset) => letterFor(REFUSED, offset)),
    );

    const progress: string[] = [];
    const report = await redriveDeadLetters(kafka, {
      topic: REFUSED,
      namespace,
      requestedBy: OPERATOR,
      onProgress: (l) => progress.push(l),
    });

    expect(report).toMatchObject({ examined: 3, moved: 2, refused: 1, missing: 0 });
    expect(progress).toContain(
      `dead letter ${deadLetterTopic(REFUSED)}/0/1: the broker refused its original for good (MESSAGE_TOO_LARGE); passed over`,
    );
    const copies = (await readAll(namespace + REFUSED, 5)).slice(3);
    expect(copies.map((m) => m.value!.toString())).toEqual(['small-before', 'small-after']);
    // Passed over is done: the next run finds nothing to do.
    expect(await redriveDeadLetters(kafka, { topic: REFUSED, namespace, requestedBy: OPERATOR })).toMatchObject({
      examined: 0,
    });
  });

  it('answers an unreachable broker with RedriveUnavailableError, a condition callers can name', async () => {
    const away = new Kafka({
      clientId: 'redrive-test-away',
      brokers: ['127.0.0.1:1'],
      logLevel: logLevel.NOTHING,
      connectionTimeout: 200,
      retry: { retries: 1, initialRetryTime: 50 },
    });
    await expect(redriveDeadLetters(away, { topic: TOPIC, namespace, requestedBy: OPERATOR })).rejects.toBeInstanceOf(
      RedriveUnavailableError,
    );
  });
});
