import { Logger } from '@nestjs/common';
import type { Consumer, EachBatchPayload, IHeaders, Kafka } from 'kafkajs';
import { Counter } from 'prom-client';
import { describeError, isPermanentDatabaseError, sqlStateOf } from '@ruta/persistence';
import type { DataSource, EntityManager } from 'typeorm';
import { REDRIVE_FOR_HEADER, safeFieldPath, toDeadLetterMessage, type DeadLetter } from '../dead-letters/dead-letter';
import { enqueueOutbox } from '../outbox/outbox.writer';

export interface ConsumedMessage {
  topic: string;
  partition: number;
  offset: string;
  key: string | null;
  value: string | null;
  headers: IHeaders;
}

/** What a handler reports besides its own writes: messages to dead-letter, in the same transaction. */
export interface BatchOutcome {
  deadLetters?: DeadLetter[];
  /** The handler queued messages in the outbox: the relay is woken once the batch commits. */
  wroteOutbox?: boolean;
  /** Runs once the batch's transaction committed (metrics): never for a batch rolled back and retried. */
  onCommit?: () => void;
}

/**
 * Applies one partition's batch inside one database transaction. Throwing rolls the transaction
 * back and retries the same batch (same order) with backoff.
 */
export type BatchHandler = (messages: ConsumedMessage[], manager: EntityManager) => Promise<BatchOutcome | void>;

export interface BatchConsumerOptions {
  groupId: string;
  topics: string[];
  handler: BatchHandler;
  /** The service's schema; dead letters go through its outbox. */
  schema?: string;
  maxWaitTimeInMs?: number;
  maxBytesPerPartition?: number;
  /** Prefix of the physical topic and group names (RUTA_KAFKA_NAMESPACE). */
  namespace?: string;
  /** Called after a batch that queued outbox messages (or dead letters) committed. */
  onOutboxWritten?: () => void;
  maxBackoffMs?: number;
  sessionTimeoutMs?: number;
  heartbeatIntervalMs?: number;
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

  constructor(
    private readonly kafka: Kafka,
    private readonly dataSource: DataSource,
    private readonly options: BatchConsumerOptions,
  ) {
    this.namespace = options.namespace ?? '';
    this.maxBackoffMs = options.maxBackoffMs ?? 5000;
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
        headers: m.headers ?? {},
      }))
      // A redriven copy is meant for the group that dead-lettered it; the others applied it already.
      .filter((m) => {
        const target = m.headers[REDRIVE_FOR_HEADER]?.toString();
        return target === undefined || target === this.options.groupId;
      });

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

  /**
   * Runs the batch's transaction until it commits. Transient failures (database down, deadlock)
   * roll back and retry with backoff; order is kept because the same batch is retried whole. When
   * PostgreSQL refuses the data itself (a permanent error), the batch is applied one message at a
   * time, in order, and the message it refuses is dead-lettered: the partition moves on.
   * Returns false when the consumer stops or loses the partition before it could commit.
   */
  private async applyWithRetry(messages: ConsumedMessage[], topic: string, payload: EachBatchPayload) {
    const { isRunning, isStale, heartbeat } = payload;
    let pending = messages;
    let backoff = 0;
    for (;;) {
      try {
        await this.apply(pending, topic, heartbeat);
        return true;
      } catch (error) {
        let failure = error;
        if (isPermanentDatabaseError(error)) {
          const left = await this.applyOneByOne(pending, topic, payload);
          if (left === 'done') return true;
          if (left === 'lost') return false;
          ({ pending, error: failure } = left);
        }
        retries.inc({ group: this.options.groupId, topic });
        backoff = Math.min(Math.max(backoff * 2, 200), this.maxBackoffMs);
        const first = pending[0]!;
        this.logger.warn(
          `group ${this.options.groupId}: batch ${topic}[${first.partition}]@${first.offset} failed, ` +
            `retrying in ${backoff} ms: ${describeError(failure)}`,
        );
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

  /** One transaction: the handler's writes and its dead letters; heartbeats go on meanwhile. */
  private async apply(
    messages: ConsumedMessage[],
    topic: string,
    heartbeat: () => Promise<void>,
    handler: BatchHandler = this.options.handler,
  ): Promise<void> {
    if (messages.length === 0) return;
    const beat = setInterval(() => void heartbeat().catch(() => undefined), 1000);
    try {
      const outcome = await this.dataSource.transaction(async (manager) => {
        const outcome = (await handler(messages, manager)) ?? {};
        await this.queueDeadLetters(manager, outcome.deadLetters ?? []);
        return outcome;
      });
      const letters = outcome.deadLetters ?? [];
      this.reportDeadLetters(topic, letters);
      outcome.onCommit?.();
      if (letters.length > 0 || outcome.wroteOutbox === true) this.options.onOutboxWritten?.();
    } finally {
      clearInterval(beat);
    }
  }

  /**
   * The batch one message per transaction, in order: a message PostgreSQL refuses is dead-lettered
   * (code MESSAGE.UNPROCESSABLE, the SQLSTATE as its reason). A transient failure stops the walk and
   * hands back what is left, to be retried with backoff.
   */
  private async applyOneByOne(
    messages: ConsumedMessage[],
    topic: string,
    { isRunning, isStale, heartbeat }: EachBatchPayload,
  ): Promise<'done' | 'lost' | { pending: ConsumedMessage[]; error: unknown }> {
    for (let i = 0; i < messages.length; i++) {
      if (!isRunning() || isStale()) return 'lost';
      const message = messages[i]!;
      try {
        await this.apply([message], topic, heartbeat);
      } catch (error) {
        if (!isPermanentDatabaseError(error)) return { pending: messages.slice(i), error };
        const letter: DeadLetter = {
          topic,
          partition: message.partition,
          offset: message.offset,
          code: 'MESSAGE.UNPROCESSABLE',
          errors: [{ field: '', messages: [`the database refused it (SQLSTATE ${sqlStateOf(error)})`] }],
        };
        try {
          await this.apply([message], topic, heartbeat, async () => ({ deadLetters: [letter] }));
        } catch (failure) {
          return { pending: messages.slice(i), error: failure };
        }
      }
    }
    return 'done';
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
