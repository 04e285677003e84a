import 'reflect-metadata';
import type { Kafka, KafkaMessage, Producer } from 'kafkajs';
import { createTestEnvironment, type TestEnvironment } from '@ruta/testing';
import { ensureTopics } from '../kafka/kafka.config';
import { deadLetterTopic, REDRIVE_FOR_HEADER, toDeadLetterMessage } from './dead-letter';
import { redriveDeadLetters } from './redrive';

const TOPIC = 'redrive.test.v1';

describe('redriveDeadLetters against Kafka', () => {
  let environment: TestEnvironment;
  let namespace: string;
  let kafka: Kafka;
  let producer: Producer;

  beforeAll(async () => {
    environment = await createTestEnvironment('redrive');
    ({ namespace, kafka } = environment);
    await ensureTopics(kafka, [namespace + TOPIC, namespace + deadLetterTopic(TOPIC)], 1);
    producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
  });

  afterAll(async () => {
    await producer?.disconnect();
    await environment?.teardown();
  });

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
    await producer.send({
      topic: namespace + deadLetterTopic(TOPIC),
      acks: -1,
      messages: letters.map((l) => ({ key: l.key, value: JSON.stringify(l.value), headers: l.headers })),
    });

    const progress: string[] = [];
    const report = await redriveDeadLetters(kafka, { topic: TOPIC, namespace, onProgress: (l) => progress.push(l) });
    expect(report).toEqual({
      topic: TOPIC,
      deadLetterTopic: deadLetterTopic(TOPIC),
      examined: 4,
      moved: 3,
      missing: 0,
      repeated: 1,
    });
    expect(progress).toEqual([`read 4 dead letters from ${deadLetterTopic(TOPIC)}`]);

    const copies = (await readAll(namespace + TOPIC, 503)).slice(500);
    expect(copies.map((m) => [m.value!.toString(), m.headers![REDRIVE_FOR_HEADER]!.toString()])).toEqual([
      ['m3', 'health'],
      ['m480', 'health'],
      ['m480', 'audit'],
    ]);
    expect(copies.map((m) => m.key!.toString())).toEqual(['k3', 'k4', 'k4']);

    // Run again: those dead letters are done.
    expect(await redriveDeadLetters(kafka, { topic: TOPIC, namespace })).toMatchObject({ examined: 0, moved: 0 });
  });
});
