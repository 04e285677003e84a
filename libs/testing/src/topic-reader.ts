import type { Kafka, KafkaMessage } from 'kafkajs';

/** Polls until `check` returns a value (not undefined) or the deadline passes. */
export async function waitUntil<T>(check: () => Promise<T | undefined>, what: string, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** How many messages the topic holds: the sum of its partitions' high watermarks. */
export async function topicMessageCount(kafka: Kafka, topic: string): Promise<number> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    return (await admin.fetchTopicOffsets(topic)).reduce((sum, p) => sum + Number(p.high) - Number(p.low), 0);
  } finally {
    await admin.disconnect();
  }
}

/**
 * Reads a whole topic from the beginning with a fresh group until it holds as many messages as
 * its offsets say: everything published, nothing left to arrive.
 */
export async function readWholeTopic(kafka: Kafka, topic: string, timeoutMs = 60_000): Promise<KafkaMessage[]> {
  const expected = await topicMessageCount(kafka, topic);
  const messages: KafkaMessage[] = [];
  const consumer = kafka.consumer({ groupId: `${topic}.reader-${Date.now()}`, maxWaitTimeInMs: 100 });
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({ eachMessage: async ({ message }) => void messages.push(message) });
    await waitUntil(async () => (messages.length >= expected ? true : undefined), `${expected} messages`, timeoutMs);
    return messages;
  } finally {
    await consumer.disconnect();
  }
}
