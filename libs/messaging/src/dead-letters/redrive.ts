import { randomUUID } from 'node:crypto';
import { Logger } from '@nestjs/common';
import {
  contractsByType,
  DEAD_LETTERS_REDRIVEN,
  OPERATIONS_EVENT_CONTRACTS,
  OPERATIONS_SUBJECT,
  Topics,
  validateCloudEvent,
} from '@ruta/contracts';
import type { IHeaders, Kafka, KafkaMessage, Message } from 'kafkajs';
import { Counter } from 'prom-client';
import { ensureTopics } from '../kafka/kafka.config';
import { deadLetterTopic, REDRIVE_FOR_HEADER, REDRIVEN_FROM_HEADER, type DeadLetterRecord } from './dead-letter';
import { clampToRetained, parseRecord, pendingRanges, readRanges, type Admin, type Ranges } from './redrive-reader';
import { isKafkaUnavailable, RedriveSender, RedriveUnavailableError } from './redrive-sender';

export { RedriveUnavailableError } from './redrive-sender';

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
  /** Who asked, and how: recorded in the dead-letters.redriven event the audit log keeps. */
  requestedBy: { actor: string; channel: 'http' | 'cli' };
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
  /** Originals the broker refused for good (e.g. too large for the topic now): logged, passed over. */
  refused: number;
}

const movedTotal = new Counter({
  name: 'ruta_dead_letters_redriven_total',
  help: 'Dead letters whose original was re-published to its source topic',
  labelNames: ['topic'],
});

const logger = new Logger('Redrive');

/** One dead letter's fate: its original to send, or why there is none. */
type Step = { dlqPartition: number; dlqOffset: string } & (
  { kind: 'send'; message: Message; from: string } | { kind: 'missing' | 'repeated' }
);

/**
 * Re-publishes the originals of the dead letters not redriven yet to their source topic, each
 * marked for the consumer group that failed it, one message per request. Progress is committed per
 * dead-letter partition after every send, so an outage midway moves nothing twice on the next run;
 * an original the broker refuses for good is reported and passed over, never blocking those after.
 * Dead letters hold no payload: originals are read back from their position.
 * @throws RedriveUnavailableError when Kafka cannot be reached or does not answer in time.
 */
export async function redriveDeadLetters(kafka: Kafka, options: RedriveOptions): Promise<RedriveReport> {
  const ns = options.namespace ?? '';
  const report: RedriveReport = {
    topic: options.topic,
    deadLetterTopic: deadLetterTopic(options.topic),
    examined: 0,
    moved: 0,
    missing: 0,
    repeated: 0,
    refused: 0,
  };
  const admin = kafka.admin();
  try {
    await admin.connect();
    try {
      await redrive(kafka, admin, { ...options, namespace: ns, timeoutMs: options.timeoutMs ?? 60_000 }, report);
    } finally {
      await admin.disconnect();
    }
    return report;
  } catch (error) {
    throw isKafkaUnavailable(error) ? new RedriveUnavailableError(error) : error;
  }
}

type RunOptions = RedriveOptions & { namespace: string; timeoutMs: number };

async function redrive(kafka: Kafka, admin: Admin, options: RunOptions, report: RedriveReport): Promise<void> {
  const source = options.namespace + options.topic;
  const dlq = options.namespace + report.deadLetterTopic;
  const group = options.namespace + REDRIVE_GROUP;
  const pending = await pendingRanges(admin, dlq, group);
  if (pending.size === 0) return;
  const reading = { timeoutMs: options.timeoutMs, namespace: options.namespace, readerGroup: REDRIVE_GROUP };
  const letters = await readRanges(kafka, dlq, pending, reading);
  report.examined = letters.length;
  options.onProgress?.(`read ${letters.length} dead letters from ${report.deadLetterTopic}`);

  const records = letters.map((l) => parseRecord(l.message));
  const wanted = sourceRanges(records, source, options.topic);
  const available = await clampToRetained(admin, source, wanted.ranges);
  const keep = (partition: number, offset: string) => wanted.offsets.has(`${partition}/${offset}`);
  const originals = new Map<string, KafkaMessage>();
  // Only the dead letters' originals are kept, however far apart they lie in the source topic.
  for (const { partition, message } of await readRanges(kafka, source, available, { ...reading, keep })) {
    originals.set(`${partition}/${message.offset}`, message);
  }

  const commit = (partition: number, next: bigint) =>
    admin.setOffsets({ groupId: group, topic: dlq, partitions: [{ partition, offset: next.toString() }] });
  const sender = new RedriveSender(kafka);
  await sender.connect();
  try {
    for (const step of plan(letters, records, originals, report.deadLetterTopic)) {
      if (step.kind !== 'send') {
        report[step.kind]++;
        continue;
      }
      const refusal = await sender.send(source, step.message);
      if (refusal) {
        report.refused++;
        const line = `dead letter ${step.from}: the broker refused its original for good (${refusal}); passed over`;
        logger.warn(line);
        options.onProgress?.(line);
      } else {
        report.moved++;
        movedTotal.inc({ topic: options.topic });
      }
      await commit(step.dlqPartition, BigInt(step.dlqOffset) + 1n);
    }
    // The rest of each range (missing, repeated, other topics' letters) needs no send: done.
    for (const [partition, { to }] of pending) await commit(partition, to);
    await recordRedrive(kafka, sender, options, report);
  } finally {
    await sender.disconnect();
  }
}

/**
 * Publishes what this redrive did as a dead-letters.redriven event on ops.events.v1, which the audit
 * log keeps: the originals arrive again under ids the log already holds, so without it a redrive
 * would leave no trace there. Checked by the contract before it is sent, like every event.
 */
async function recordRedrive(
  kafka: Kafka,
  sender: RedriveSender,
  options: RunOptions,
  report: RedriveReport,
): Promise<void> {
  const event = {
    specversion: '1.0',
    id: randomUUID(),
    source: `ruta/redrive-${options.requestedBy.channel}`,
    type: DEAD_LETTERS_REDRIVEN,
    subject: OPERATIONS_SUBJECT,
    time: new Date().toISOString(),
    datacontenttype: 'application/json',
    data: {
      topic: options.topic,
      actor: options.requestedBy.actor,
      channel: options.requestedBy.channel,
      examined: report.examined,
      moved: report.moved,
      missing: report.missing,
      repeated: report.repeated,
      refused: report.refused,
      redrivenAt: new Date().toISOString(),
    },
  };
  const checked = validateCloudEvent(event, OPERATIONS_CONTRACTS);
  if (!checked.ok)
    throw new Error(`dead-letters.redriven refused by its contract: ${checked.errors.map((e) => e.field).join(', ')}`);
  const topic = options.namespace + Topics.operations;
  await ensureTopics(kafka, [topic]);
  const refusal = await sender.send(topic, { key: options.topic, value: JSON.stringify(event) });
  if (refusal) throw new Error(`the broker refused the dead-letters.redriven event (${refusal})`);
}

const OPERATIONS_CONTRACTS = contractsByType(OPERATIONS_EVENT_CONTRACTS);

/** The source offsets the records name, as ranges to read and as a set to keep. */
function sourceRanges(records: (DeadLetterRecord | undefined)[], source: string, logical: string) {
  const ranges: Ranges = new Map();
  const offsets = new Set<string>();
  for (const r of records) {
    // Records name the physical topic; those written before namespaces were named, the logical one.
    if (!r || (r.sourceTopic !== source && r.sourceTopic !== logical)) continue;
    offsets.add(`${r.sourcePartition}/${r.sourceOffset}`);
    const offset = BigInt(r.sourceOffset);
    const range = ranges.get(r.sourcePartition);
    ranges.set(r.sourcePartition, {
      from: range && range.from < offset ? range.from : offset,
      to: range && range.to > offset + 1n ? range.to : offset + 1n,
    });
  }
  return { ranges, offsets };
}

/** Each dead letter in order, with its original marked for the group that failed it. */
function plan(
  letters: { partition: number; message: KafkaMessage }[],
  records: (DeadLetterRecord | undefined)[],
  originals: Map<string, KafkaMessage>,
  dlqTopic: string,
): Step[] {
  // A message dead-lettered twice by the same group (its batch was retried) is redriven once.
  const redriven = new Set<string>();
  return letters.map(({ partition, message }, i): Step => {
    const at = { dlqPartition: partition, dlqOffset: message.offset };
    const record = records[i];
    const original = record && originals.get(`${record.sourcePartition}/${record.sourceOffset}`);
    if (!record || !original) return { ...at, kind: 'missing' };
    const target = `${record.group}/${record.sourcePartition}/${record.sourceOffset}`;
    if (redriven.has(target)) return { ...at, kind: 'repeated' };
    redriven.add(target);
    const from = `${dlqTopic}/${partition}/${message.offset}`;
    const headers = {
      ...withoutRedriveHeaders(original.headers),
      [REDRIVE_FOR_HEADER]: record.group,
      [REDRIVEN_FROM_HEADER]: from,
    };
    return { ...at, kind: 'send', from, message: { key: original.key, value: original.value, headers } };
  });
}

/** How many dead letters of a topic wait for a redrive. */
export async function countPendingDeadLetters(kafka: Kafka, topic: string, namespace = ''): Promise<number> {
  const admin = kafka.admin();
  try {
    await admin.connect();
    try {
      const ranges = await pendingRanges(admin, namespace + deadLetterTopic(topic), namespace + REDRIVE_GROUP);
      return [...ranges.values()].reduce((sum, r) => sum + Number(r.to - r.from), 0);
    } finally {
      await admin.disconnect();
    }
  } catch (error) {
    throw isKafkaUnavailable(error) ? new RedriveUnavailableError(error) : error;
  }
}

function withoutRedriveHeaders(headers: IHeaders | undefined): IHeaders {
  const copy: IHeaders = { ...headers };
  delete copy[REDRIVE_FOR_HEADER];
  delete copy[REDRIVEN_FROM_HEADER];
  return copy;
}
