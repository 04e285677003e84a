import { randomUUID } from 'node:crypto';
import { Partitioners, type IHeaders, type Kafka, type KafkaMessage, type Message } from 'kafkajs';
import { Counter } from 'prom-client';
import { deadLetterTopic, REDRIVE_FOR_HEADER, REDRIVEN_FROM_HEADER, type DeadLetterRecord } from './dead-letter';

/** The consumer group whose committed offsets mark how far each dead-letter topic was redriven. */
export const REDRIVE_GROUP = 'ruta-dead-letter-redrive';

export interface RedriveOptions {
  /** The source topic, e.g. `intake.events.v1`; its dead letters are in `<topic>.dlq`. */
  topic: string;
  /** RUTA_KAFKA_NAMESPACE prefix of physical topic and group names. */
  namespace?: string;
  /** Gives up reading after this long (default 60 s). */
  timeoutMs?: number;
  /** Progress lines, for the CLI. */
  onProgress?: (line: string) => void;
}

export interface RedriveReport {
  topic: string;
  deadLetterTopic: string;
  /** Dead letters read since the last redrive. */
  examined: number;
  /** Originals re-published to the source topic. */
  moved: number;
  /** Dead letters whose original is gone from the source topic (retention) or unreadable. */
  missing: number;
  /** Dead letters naming a message and group already redriven in this run (not published twice). */
  repeated: number;
}

const moved = new Counter({
  name: 'ruta_dead_letters_redriven_total',
  help: 'Dead letters whose original was re-published to its source topic',
  labelNames: ['topic'],
});

type Ranges = Map<number, { from: bigint; to: bigint }>;

/**
 * Re-publishes the originals of the dead letters not redriven yet to their source topic, each
 * marked for the consumer group that failed it, then records how far it got. Running it again
 * moves nothing new. Dead letters hold no payload: originals are read back from their position.
 */
export async function redriveDeadLetters(kafka: Kafka, options: RedriveOptions): Promise<RedriveReport> {
  const ns = options.namespace ?? '';
  const source = ns + options.topic;
  const dlq = ns + deadLetterTopic(options.topic);
  const group = ns + REDRIVE_GROUP;
  const timeoutMs = options.timeoutMs ?? 60_000;
  const report: RedriveReport = {
    topic: options.topic,
    deadLetterTopic: deadLetterTopic(options.topic),
    examined: 0,
    moved: 0,
    missing: 0,
    repeated: 0,
  };
  const admin = kafka.admin();
  await admin.connect();
  try {
    const pending = await pendingRanges(admin, dlq, group);
    if (pending.size === 0) return report;
    const letters = await readRanges(kafka, dlq, pending, { timeoutMs, namespace: ns });
    report.examined = letters.length;
    options.onProgress?.(`read ${letters.length} dead letters from ${report.deadLetterTopic}`);

    const records = letters.map((m) => parseRecord(m.message));
    const wanted: Ranges = new Map();
    const wantedOffsets = new Set<string>();
    for (const r of records) {
      // Records name the physical topic; those written before namespaces were named, the logical one.
      if (!r || (r.sourceTopic !== source && r.sourceTopic !== options.topic)) continue;
      wantedOffsets.add(`${r.sourcePartition}/${r.sourceOffset}`);
      const offset = BigInt(r.sourceOffset);
      const range = wanted.get(r.sourcePartition);
      wanted.set(r.sourcePartition, {
        from: range && range.from < offset ? range.from : offset,
        to: range && range.to > offset + 1n ? range.to : offset + 1n,
      });
    }
    const available = await clampToRetained(admin, source, wanted);
    const originals = new Map<string, KafkaMessage>();
    // Only the dead letters' originals are kept, however far apart they lie in the source topic.
    const keep = (partition: number, offset: string) => wantedOffsets.has(`${partition}/${offset}`);
    for (const { partition, message } of await readRanges(kafka, source, available, {
      timeoutMs,
      namespace: ns,
      keep,
    })) {
      originals.set(`${partition}/${message.offset}`, message);
    }
    const messages: Message[] = [];
    // A message dead-lettered twice by the same group (its batch was retried) is redriven once.
    const redriven = new Set<string>();
    letters.forEach(({ partition, message }, i) => {
      const record = records[i];
      const original = record && originals.get(`${record.sourcePartition}/${record.sourceOffset}`);
      if (!record || !original) {
        report.missing++;
        return;
      }
      const target = `${record.group}/${record.sourcePartition}/${record.sourceOffset}`;
      if (redriven.has(target)) {
        report.repeated++;
        return;
      }
      redriven.add(target);
      messages.push({
        key: original.key,
        value: original.value,
        headers: {
          ...withoutRedriveHeaders(original.headers),
          [REDRIVE_FOR_HEADER]: record.group,
          [REDRIVEN_FROM_HEADER]: `${report.deadLetterTopic}/${partition}/${message.offset}`,
        },
      });
    });
    if (messages.length > 0) {
      const producer = kafka.producer({ idempotent: true, createPartitioner: Partitioners.DefaultPartitioner });
      await producer.connect();
      try {
        await producer.send({ topic: source, acks: -1, messages });
      } finally {
        await producer.disconnect();
      }
    }
    report.moved = messages.length;
    moved.inc({ topic: options.topic }, messages.length);
    await admin.setOffsets({
      groupId: group,
      topic: dlq,
      partitions: [...pending].map(([partition, { to }]) => ({ partition, offset: to.toString() })),
    });
    return report;
  } finally {
    await admin.disconnect();
  }
}

/** How many dead letters of a topic wait for a redrive. */
export async function countPendingDeadLetters(kafka: Kafka, topic: string, namespace = ''): Promise<number> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const ranges = await pendingRanges(admin, namespace + deadLetterTopic(topic), namespace + REDRIVE_GROUP);
    return [...ranges.values()].reduce((sum, r) => sum + Number(r.to - r.from), 0);
  } finally {
    await admin.disconnect();
  }
}

type Admin = ReturnType<Kafka['admin']>;

async function pendingRanges(admin: Admin, topic: string, group: string): Promise<Ranges> {
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

async function clampToRetained(admin: Admin, topic: string, ranges: Ranges): Promise<Ranges> {
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

interface ReadOptions {
  timeoutMs: number;
  namespace: string;
  /** Which messages of the ranges to hold on to (default: all). */
  keep?: (partition: number, offset: string) => boolean;
}

/** Reads the given offset ranges of a topic with a throwaway consumer group, then deletes the group. */
async function readRanges(
  kafka: Kafka,
  topic: string,
  ranges: Ranges,
  { timeoutMs, namespace, keep }: ReadOptions,
): Promise<{ partition: number; message: KafkaMessage }[]> {
  if (ranges.size === 0) return [];
  const groupId = `${namespace}${REDRIVE_GROUP}-reader-${randomUUID()}`;
  const consumer = kafka.consumer({ groupId, maxWaitTimeInMs: 100 });
  const read: { partition: number; message: KafkaMessage }[] = [];
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
      timer = setTimeout(() => reject(new Error(`timed out reading ${topic} after ${timeoutMs} ms`)), timeoutMs);
    });
    await Promise.race([done, timeout]).finally(() => clearTimeout(timer));
  } finally {
    await consumer.disconnect();
    const admin = kafka.admin();
    await admin.connect();
    await admin.deleteGroups([groupId]).catch(() => undefined);
    await admin.disconnect();
  }
  const order = (a: { partition: number; message: KafkaMessage }, b: typeof a) =>
    a.partition - b.partition || Number(BigInt(a.message.offset) - BigInt(b.message.offset));
  return [...new Map(read.map((r) => [`${r.partition}/${r.message.offset}`, r])).values()].sort(order);
}

function parseRecord(message: KafkaMessage): DeadLetterRecord | undefined {
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

function withoutRedriveHeaders(headers: IHeaders | undefined): IHeaders {
  const copy: IHeaders = { ...headers };
  delete copy[REDRIVE_FOR_HEADER];
  delete copy[REDRIVEN_FROM_HEADER];
  return copy;
}
