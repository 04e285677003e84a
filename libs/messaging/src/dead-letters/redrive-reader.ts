import { randomUUID } from 'node:crypto';
import type { Kafka, KafkaMessage } from 'kafkajs';
import type { DeadLetterRecord } from './dead-letter';

/** Offset ranges to read, by partition: `from` inclusive, `to` exclusive. */
export type Ranges = Map<number, { from: bigint; to: bigint }>;

/** A message read back, with the partition it was read from. */
export interface ReadMessage {
  partition: number;
  message: KafkaMessage;
}

export type Admin = ReturnType<Kafka['admin']>;

/** The offsets of `topic` the group has not committed past yet, by partition. */
export async function pendingRanges(admin: Admin, topic: string, group: string): Promise<Ranges> {
  const ends = await admin.fetchTopicOffsets(topic);
  const [committed] = await admin.fetchOffsets({ groupId: group, topics: [topic] });
  const done = new Map((committed?.partitions ?? []).map((p) => [p.partition, BigInt(p.offset)]));
  const ranges: Ranges = new Map();
  for (const end of ends) {
    const low = BigInt(end.low);
    const from = (done.get(end.partition) ?? -1n) < low ? low : done.get(end.partition)!;
    const to = BigInt(end.high);
    if (from < to) ranges.set(end.partition, { from, to });
  }
  return ranges;
}

/** The ranges cut to what the topic still holds (older offsets are gone with retention). */
export async function clampToRetained(admin: Admin, topic: string, ranges: Ranges): Promise<Ranges> {
  const ends = new Map((await admin.fetchTopicOffsets(topic)).map((e) => [e.partition, e]));
  const clamped: Ranges = new Map();
  for (const [partition, { from, to }] of ranges) {
    const end = ends.get(partition);
    if (!end) continue;
    const low = BigInt(end.low);
    const high = BigInt(end.high);
    const start = from < low ? low : from;
    const stop = to > high ? high : to;
    if (start < stop) clamped.set(partition, { from: start, to: stop });
  }
  return clamped;
}

export interface ReadOptions {
  timeoutMs: number;
  /** Prefix of the throwaway reader group's name. */
  readerGroup: string;
  namespace: string;
  /** Which messages of the ranges to hold on to (default: all). */
  keep?: (partition: number, offset: string) => boolean;
}

/** Reads the given offset ranges of a topic with a throwaway consumer group, then deletes the group. */
export async function readRanges(
  kafka: Kafka,
  topic: string,
  ranges: Ranges,
  { timeoutMs, namespace, readerGroup, keep }: ReadOptions,
): Promise<ReadMessage[]> {
  if (ranges.size === 0) return [];
  const groupId = `${namespace}${readerGroup}-reader-${randomUUID()}`;
  const consumer = kafka.consumer({ groupId, maxWaitTimeInMs: 100 });
  const read: ReadMessage[] = [];
  const remaining = new Map([...ranges].map(([p, r]) => [p, r.to]));
  let finish!: () => void;
  const done = new Promise<void>((resolve) => (finish = resolve));
  try {
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      eachBatch: async ({ batch }) => {
        const range = ranges.get(batch.partition);
        if (!range) return;
        for (const message of batch.messages) {
          const offset = BigInt(message.offset);
          if (offset < range.from || offset >= range.to) continue;
          if (!keep || keep(batch.partition, message.offset)) read.push({ partition: batch.partition, message });
        }
        if (BigInt(batch.lastOffset()) + 1n >= range.to) remaining.delete(batch.partition);
        if (remaining.size === 0) finish();
      },
    });
    for (const [partition, { from }] of ranges) consumer.seek({ topic, partition, offset: from.toString() });
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(readTimeout(topic, timeoutMs)), timeoutMs);
    });
    await Promise.race([done, timeout]).finally(() => clearTimeout(timer));
  } finally {
    await consumer.disconnect();
    const admin = kafka.admin();
    await admin.connect();
    await admin.deleteGroups([groupId]).catch(() => undefined);
    await admin.disconnect();
  }
  const order = (a: ReadMessage, b: ReadMessage) =>
    a.partition - b.partition || Number(BigInt(a.message.offset) - BigInt(b.message.offset));
  return [...new Map(read.map((r) => [`${r.partition}/${r.message.offset}`, r])).values()].sort(order);
}

/** A dead-letter record, or undefined when the message is not a well-formed one. */
export function parseRecord(message: KafkaMessage): DeadLetterRecord | undefined {
  try {
    const record = JSON.parse(message.value?.toString('utf8') ?? '') as DeadLetterRecord;
    const valid =
      typeof record.sourceTopic === 'string' &&
      Number.isInteger(record.sourcePartition) &&
      /^\d+$/.test(record.sourceOffset) &&
      typeof record.group === 'string';
    return valid ? record : undefined;
  } catch {
    return undefined;
  }
}

/** The broker did not hand over the ranges in time: an outage, told apart by its name. */
function readTimeout(topic: string, timeoutMs: number): Error {
  const error = new Error(`timed out reading ${topic} after ${timeoutMs} ms`);
  error.name = 'RedriveReadTimeout';
  return error;
}
