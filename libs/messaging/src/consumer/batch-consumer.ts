import { Logger } from '@nestjs/common';
import type { Consumer, EachBatchPayload, Kafka } from 'kafkajs';
import { Counter } from 'prom-client';
import { describeError, sqlStateOf } from '@ruta/persistence';
import type { DataSource, EntityManager } from 'typeorm';
import { REDRIVE_FOR_HEADER, safeFieldPath, toDeadLetterMessage, type DeadLetter } from '../dead-letters/dead-letter';
import { enqueueOutbox } from '../outbox/outbox.writer';
import { KeyParking, PARKED_BEHIND_CODE } from '../parking/key-parking';
import type { ParkedEntry, ParkedSelector } from '../parking/parked-messages.store';
import type { ParkedReleaseReport, ParkedRetryReport } from '../parking/parked-operations';
import { consumerMaxAttempts } from './consumer.config';
import type { BatchHandler, BatchOutcome, ConsumedMessage } from './consumed-message';
import { classifyFailure, errorClassOf } from './failure-kind';

export type { BatchHandler, BatchOutcome, ConsumedMessage } from './consumed-message';

export interface BatchConsumerOptions {
  groupId: string;
  topics: string[];
  handler: BatchHandler;
  /** The service's schema; dead letters go through its outbox. */
  schema?: string;
  maxWaitTimeInMs?: number;
  /**
   * Least data a fetch waits for (up to maxWaitTimeInMs); 1 byte by default, so a message is read
   * as soon as it is there. A group that can wait a moment asks for more and sends fewer fetches.
   */
  minBytes?: number;
  maxBytesPerPartition?: number;
  /** Prefix of the physical topic and group names (RUTA_KAFKA_NAMESPACE). */
  namespace?: string;
  /** Called after a batch that queued outbox messages (or dead letters) committed. */
  onOutboxWritten?: () => void;
  maxBackoffMs?: number;
  sessionTimeoutMs?: number;
  heartbeatIntervalMs?: number;
  /** Attempts of a batch failing unexpectedly before its failing key is parked (RUTA_CONSUMER_MAX_ATTEMPTS). */
  maxAttempts?: number;
  /**
   * The topics are produced outside Ruta (agency systems): their headers never steer the runner,
   * so a `ruta-redrive-for` header there is data like any other and every message is judged.
   */
  producedOutsideRuta?: boolean;
}

const consumed = new Counter({
  name: 'ruta_consumer_messages_total',
  help: 'Messages whose batch committed, per consumer group and topic',
  labelNames: ['group', 'topic'],
});
const deadLettered = new Counter({
  name: 'ruta_consumer_dead_letters_total',
  help: 'Messages sent to the dead-letter topic, per consumer group and error code',
  labelNames: ['group', 'topic', 'code'],
});
const retries = new Counter({
  name: 'ruta_consumer_batch_retries_total',
  help: 'Batches rolled back by a failure and retried',
  labelNames: ['group', 'topic'],
});
const redriveCopiesSkipped = new Counter({
  name: 'ruta_consumer_redrive_copies_skipped_total',
  help: 'Redriven copies meant for another consumer group, skipped',
  labelNames: ['group', 'topic'],
});

/**
 * Runs a kafkajs consumer with eachBatch: one transaction per batch, dead letters queued in that
 * transaction, offsets committed only after the database commit and never for a partition this
 * member no longer owns; heartbeats keep flowing through long batches and retries.
 */
export class BatchConsumer {
  private readonly logger = new Logger(BatchConsumer.name);
  private consumer?: Consumer;
  private isJoined = false;
  private readonly namespace: string;
  private readonly maxBackoffMs: number;
  private readonly maxAttempts: number;
  /** Where failing keys are parked: in the service's schema, so none without one. */
  private readonly parking?: KeyParking;

  constructor(
    private readonly kafka: Kafka,
    private readonly dataSource: DataSource,
    private readonly options: BatchConsumerOptions,
  ) {
    this.namespace = options.namespace ?? '';
    this.maxBackoffMs = options.maxBackoffMs ?? 5000;
    this.maxAttempts = options.maxAttempts ?? consumerMaxAttempts();
    if (options.schema) this.parking = new KeyParking(dataSource, options.schema, options.groupId, options.topics);
  }

  get groupId(): string {
    return this.options.groupId;
  }

  get topics(): readonly string[] {
    return this.options.topics;
  }

  /** True while this member is in its group (joined, not crashed or stopped): /health/ready. */
  get joined(): boolean {
    return this.isJoined;
  }

  async start(): Promise<void> {
    const consumer = this.kafka.consumer({
      groupId: this.namespace + this.options.groupId,
      maxWaitTimeInMs: this.options.maxWaitTimeInMs ?? 100,
      minBytes: this.options.minBytes ?? 1,
      maxBytesPerPartition: this.options.maxBytesPerPartition ?? 1024 * 1024,
      sessionTimeout: this.options.sessionTimeoutMs ?? 30_000,
      heartbeatInterval: this.options.heartbeatIntervalMs ?? 3_000,
    });
    this.consumer = consumer;
    // Readiness: consuming from the group's join until the consumer crashes or stops.
    consumer.on(consumer.events.GROUP_JOIN, () => void (this.isJoined = true));
    consumer.on(consumer.events.CRASH, () => void (this.isJoined = false));
    consumer.on(consumer.events.STOP, () => void (this.isJoined = false));
    await consumer.connect();
    await consumer.subscribe({ topics: this.options.topics.map((t) => this.namespace + t), fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      eachBatch: (payload) => this.onBatch(payload),
    });
    this.logger.log(`group ${this.options.groupId} consuming ${this.options.topics.join(', ')}`);
  }

  /** Finishes the batch in flight (its transaction and commit), then leaves the group. */
  async stop(): Promise<void> {
    await this.consumer?.disconnect();
  }

  private async onBatch(payload: EachBatchPayload): Promise<void> {
    const { batch, isRunning, isStale, heartbeat, resolveOffset } = payload;
    if (batch.isEmpty() || !isRunning() || isStale()) return;
    const topic = batch.topic.slice(this.namespace.length);
    const messages: ConsumedMessage[] = batch.messages
      .map((m) => ({
        topic,
        partition: batch.partition,
        offset: m.offset,
        key: m.key?.toString('utf8') ?? null,
        value: m.value?.toString('utf8') ?? null,
        bytes: m.value ?? null,
        headers: m.headers ?? {},
      }))
      .filter((m) => this.isForThisGroup(m));

    const applied = await this.applyWithRetry(messages, topic, payload);
    if (!applied) return; // stopping or revoked: the next owner reads the batch again.
    const last = batch.lastOffset();
    resolveOffset(last);
    consumed.inc({ group: this.options.groupId, topic }, messages.length);
    // After a rebalance the partition may belong to another member: its commit would be refused,
    // and the inbox makes the redelivery there harmless.
    if (isStale()) return;
    // The batch's own commit: unlike consumer.commitOffsets, it still commits while the consumer
    // is stopping (SIGTERM), so a batch that finished is never applied again by the next owner.
    await payload.commitOffsetsIfNecessary({
      topics: [
        {
          topic: batch.topic,
          partitions: [{ partition: batch.partition, offset: (BigInt(last) + 1n).toString() }],
        },
      ],
    });
    if (isRunning()) await heartbeat();
  }

  /** A redriven copy is meant for the group that dead-lettered it; the others applied it already. */
  private isForThisGroup(message: ConsumedMessage): boolean {
    if (this.options.producedOutsideRuta) return true;
    const target = message.headers[REDRIVE_FOR_HEADER]?.toString();
    if (target === undefined || target === this.options.groupId) return true;
    redriveCopiesSkipped.inc({ group: this.options.groupId, topic: message.topic });
    return false;
  }

  /**
   * Runs the batch's transaction until it commits. Transient failures (database down, deadlock)
   * roll back and retry with backoff, without end; order is kept because the same batch is retried
   * whole. When PostgreSQL refuses the data itself (a permanent error), the batch is applied one
   * message at a time, in order, and the message it refuses is dead-lettered. An unexpected failure
   * is retried `maxAttempts` times, then the batch goes one message at a time and the message that
   * still fails is parked with the rest of its key: the other keys flow.
   * Returns false when the consumer stops or loses the partition before it could commit.
   */
  private async applyWithRetry(messages: ConsumedMessage[], topic: string, payload: EachBatchPayload) {
    const { isRunning, isStale, heartbeat } = payload;
    let pending = messages;
    let backoff = 0;
    let unexpected = 0;
    for (;;) {
      try {
        await this.apply(pending, topic, heartbeat);
        return true;
      } catch (error) {
        let failure = error;
        const kind = classifyFailure(failure);
        if (kind === 'unexpected') unexpected += 1;
        const park = this.parking !== undefined && unexpected >= this.maxAttempts;
        if (kind === 'permanent' || (kind === 'unexpected' && park)) {
          const left = await this.applyOneByOne(pending, topic, payload, park);
          if (left === 'done') return true;
          if (left === 'lost') return false;
          ({ pending, error: failure } = left);
          // A walk that met an unexpected failure without parking it counts as an attempt.
          if (!park && classifyFailure(failure) === 'unexpected') unexpected += 1;
        }
        retries.inc({ group: this.options.groupId, topic });
        backoff = Math.min(Math.max(backoff * 2, 200), this.maxBackoffMs);
        this.logRetry(pending[0]!, backoff, failure);
      }
      const until = Date.now() + backoff;
      while (Date.now() < until) {
        if (!isRunning() || isStale()) return false;
        // Not caught: a rebalance must end this batch so that kafkajs rejoins the group.
        await heartbeat();
        await new Promise((r) => setTimeout(r, Math.min(250, until - Date.now())));
      }
      if (!isRunning() || isStale()) return false;
    }
  }

  private logRetry(first: ConsumedMessage, backoff: number, failure: unknown): void {
    // A program error's message may quote the data (a sender's field name): its class only.
    const cause = classifyFailure(failure) === 'transient' ? describeError(failure) : errorClassOf(failure);
    this.logger.warn(
      `group ${this.options.groupId}: batch ${first.topic}[${first.partition}]@${first.offset} failed, ` +
        `retrying in ${backoff} ms: ${cause}`,
    );
  }

  /**
   * One transaction: messages of a key with parked messages are parked behind them, in order; the
   * handler applies the others; its dead letters are queued. Heartbeats go on meanwhile.
   */
  private async apply(
    messages: ConsumedMessage[],
    topic: string,
    heartbeat: () => Promise<void>,
    handler: BatchHandler = this.options.handler,
  ): Promise<void> {
    if (messages.length === 0) return;
    const beat = setInterval(() => void heartbeat().catch(() => undefined), 1000);
    let behind: ConsumedMessage[] = [];
    try {
      await this.transact(topic, async (manager) => {
        behind = this.parking ? await this.parking.holdBack(manager, messages) : [];
        const waiting = new Set(behind);
        const flowing = waiting.size === 0 ? messages : messages.filter((m) => !waiting.has(m));
        return flowing.length === 0 ? {} : ((await handler(flowing, manager)) ?? {});
      });
      this.parking?.report(behind, PARKED_BEHIND_CODE, null);
    } finally {
      clearInterval(beat);
    }
  }

  /** One transaction of `work`, its dead letters queued in it; reported once it committed. */
  private readonly transact = async (topic: string, work: (manager: EntityManager) => Promise<BatchOutcome>) => {
    const outcome = await this.dataSource.transaction(async (manager) => {
      const outcome = await work(manager);
      await this.queueDeadLetters(manager, outcome.deadLetters ?? []);
      return outcome;
    });
    const letters = outcome.deadLetters ?? [];
    this.reportDeadLetters(topic, letters);
    outcome.onCommit?.();
    if (letters.length > 0 || outcome.wroteOutbox === true) this.options.onOutboxWritten?.();
  };

  /**
   * The batch one message per transaction, in order: a message PostgreSQL refuses is dead-lettered
   * (code MESSAGE.UNPROCESSABLE, the SQLSTATE as its reason); with `park`, a message failing
   * unexpectedly is parked (its key's later messages follow it there). Any other failure stops the
   * walk and hands back what is left, to be retried with backoff.
   */
  private async applyOneByOne(
    messages: ConsumedMessage[],
    topic: string,
    { isRunning, isStale, heartbeat }: EachBatchPayload,
    park: boolean,
  ): Promise<'done' | 'lost' | { pending: ConsumedMessage[]; error: unknown }> {
    for (let i = 0; i < messages.length; i++) {
      if (!isRunning() || isStale()) return 'lost';
      const message = messages[i]!;
      try {
        await this.apply([message], topic, heartbeat);
      } catch (error) {
        const kind = classifyFailure(error);
        if (kind === 'transient' || (kind === 'unexpected' && !park)) return { pending: messages.slice(i), error };
        try {
          if (kind === 'permanent') await this.deadLetter(message, topic, heartbeat, error);
          else await this.park(message, topic, heartbeat, error);
        } catch (failure) {
          return { pending: messages.slice(i), error: failure };
        }
      }
    }
    return 'done';
  }

  private async deadLetter(message: ConsumedMessage, topic: string, heartbeat: () => Promise<void>, error: unknown) {
    const letter: DeadLetter = {
      topic,
      partition: message.partition,
      offset: message.offset,
      code: 'MESSAGE.UNPROCESSABLE',
      errors: [{ field: '', messages: [`the database refused it (SQLSTATE ${sqlStateOf(error)})`] }],
    };
    await this.apply([message], topic, heartbeat, async () => ({ deadLetters: [letter] }));
  }

  /** Parks the message that kept failing; every later message of its key will wait behind it. */
  private async park(message: ConsumedMessage, topic: string, heartbeat: () => Promise<void>, error: unknown) {
    await this.apply([message], topic, heartbeat, this.parking!.parkFailed(errorClassOf(error)));
  }

  /** The group's parked messages by position and code (`limit` of them, oldest first). */
  async listParked(limit = 1000): Promise<ParkedEntry[]> {
    return this.parking ? this.parking.list(limit) : [];
  }

  /** Re-applies the selected keys' parked messages in order through this consumer's handler. */
  async retryParked(selector: ParkedSelector = {}): Promise<ParkedRetryReport> {
    return this.parkingOrFail().retry(selector, this.options.handler, this.transact);
  }

  /** Moves the selected keys' parked messages to the dead-letter topic, so the keys flow again. */
  async releaseParked(selector: ParkedSelector = {}): Promise<ParkedReleaseReport> {
    return this.parkingOrFail().release(selector, this.options.handler, this.transact);
  }

  private parkingOrFail(): KeyParking {
    if (!this.parking) throw new Error(`group ${this.options.groupId} has no schema to park messages in`);
    return this.parking;
  }

  /** Queues the dead letters in the batch's transaction, through the service's outbox. */
  private async queueDeadLetters(manager: EntityManager, letters: DeadLetter[]): Promise<void> {
    if (letters.length === 0) return;
    if (!this.options.schema) throw new Error(`group ${this.options.groupId} has dead letters but no outbox schema`);
    await enqueueOutbox(
      manager,
      this.options.schema,
      letters.map((l) => toDeadLetterMessage(l, this.options.groupId, { namespace: this.namespace })),
    );
  }

  /** Counted and logged once their transaction committed, so a retried batch is not counted twice. */
  private reportDeadLetters(topic: string, letters: DeadLetter[]): void {
    for (const l of letters) {
      deadLettered.inc({ group: this.options.groupId, topic, code: l.code });
      // Position and field paths only: never the value, which may be personal data.
      const fields = [...new Set(l.errors.map(safeFieldPath))].join(', ');
      this.logger.warn(`dead-lettered ${l.topic}[${l.partition}]@${l.offset}: ${l.code} ${fields}`);
    }
  }
}
