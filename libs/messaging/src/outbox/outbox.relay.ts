import { Logger } from '@nestjs/common';
import type { Message, Producer, TopicMessages } from 'kafkajs';
import { Counter, Gauge } from 'prom-client';
import { describeError } from '@ruta/persistence';
import type { DataSource } from 'typeorm';
import { OutboxLaneSession } from './outbox.lane-session';

export interface OutboxRelayOptions {
  schema: string;
  batchSize?: number;
  /** How long to sleep when the outbox is empty and nobody calls wake(). */
  pollIntervalMs?: number;
  maxBackoffMs?: number;
  /** Prefix of the physical topic names (RUTA_KAFKA_NAMESPACE). */
  namespace?: string;
}

interface OutboxRow {
  id: string;
  topic: string;
  key: string;
  value: string;
  headers: Record<string, string>;
}

const published = new Counter({
  name: 'ruta_outbox_published_total',
  help: 'Outbox messages published to Kafka',
  labelNames: ['schema', 'topic'],
});
const failures = new Counter({
  name: 'ruta_outbox_publish_failures_total',
  help: 'Outbox publish attempts that failed and will be retried',
  labelNames: ['schema'],
});

/** Relays whose backlog /metrics reports, read when scraped. */
const reporting = new Set<OutboxRelay>();
new Gauge({
  name: 'ruta_outbox_pending',
  help: 'Outbox rows not yet published, and the age in seconds of the oldest',
  labelNames: ['schema', 'measure'],
  async collect() {
    this.reset();
    for (const relay of reporting) {
      const backlog = await relay.backlog().catch(() => undefined);
      if (!backlog) continue;
      this.set({ schema: relay.schema, measure: 'rows' }, backlog.rows);
      this.set({ schema: relay.schema, measure: 'oldest_age_seconds' }, backlog.oldestAgeSeconds);
    }
  },
});

/**
 * Publishes the outbox to Kafka without holding a transaction across the send. On its own session
 * the relay locks the lanes no other relay holds (session advisory locks), reads their oldest rows
 * in one autocommit statement, sends them in one batch from the idempotent producer (acks all),
 * deletes them in another statement, and lets the lanes go. A key lives in one lane, so several
 * replicas never reorder a person's events; a crash between send and delete republishes (the
 * consumers' inboxes absorb it).
 */
export class OutboxRelay {
  private readonly logger = new Logger(OutboxRelay.name);
  private running = false;
  private loop?: Promise<void>;
  private wakeUp?: () => void;
  private woken = false;
  private readonly batchSize: number;
  private readonly pollIntervalMs: number;
  private readonly maxBackoffMs: number;
  private readonly session: OutboxLaneSession;

  constructor(
    private readonly dataSource: DataSource,
    private readonly producer: Producer,
    private readonly options: OutboxRelayOptions,
  ) {
    this.batchSize = options.batchSize ?? 500;
    this.pollIntervalMs = options.pollIntervalMs ?? 200;
    this.maxBackoffMs = options.maxBackoffMs ?? 5000;
    this.session = new OutboxLaneSession(dataSource, options.schema);
  }

  get schema(): string {
    return this.options.schema;
  }

  /** Rows waiting and the age of the oldest: a growing backlog means Kafka is down or slow. */
  async backlog(): Promise<{ rows: number; oldestAgeSeconds: number }> {
    const [row]: { rows: number; age: number | null }[] = await this.dataSource.query(
      `SELECT count(*)::int AS rows, extract(epoch FROM now() - min(created_at))::float AS age
       FROM "${this.options.schema}".outbox`,
    );
    return { rows: row?.rows ?? 0, oldestAgeSeconds: row?.age ?? 0 };
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    reporting.add(this);
    this.loop = this.run();
  }

  /** Stops after the batch in flight, or gives up waiting after `timeoutMs` (Kafka unreachable). */
  async stop(timeoutMs = 10_000): Promise<void> {
    this.running = false;
    reporting.delete(this);
    this.wake();
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<void>((resolve) => (timer = setTimeout(resolve, timeoutMs)));
    await Promise.race([this.loop, timeout]);
    clearTimeout(timer);
    // A send still stuck on an unreachable broker keeps its lanes no longer than this.
    await this.session.close();
  }

  /**
   * A hint that rows were just committed: publish now instead of at the next poll. A hint that
   * arrives while a batch is being published is kept, so the next batch follows at once.
   */
  wake(): void {
    this.woken = true;
    this.wakeUp?.();
  }

  /** Publishes one batch from the lanes no other relay holds; returns how many rows it published. */
  async publishBatch(): Promise<number> {
    const schema = this.options.schema;
    const lanes = await this.session.hold();
    if (lanes.length === 0) return 0;
    try {
      const rows = await this.session.query<OutboxRow[]>(
        `SELECT id, topic, key, value, headers FROM "${schema}".outbox
         WHERE lane = ANY($2::smallint[]) ORDER BY id LIMIT $1`,
        [this.batchSize, lanes],
      );
      if (rows.length === 0) return 0;
      await this.producer.sendBatch({ acks: -1, topicMessages: toTopicMessages(rows, this.options.namespace ?? '') });
      await this.session.query(`DELETE FROM "${schema}".outbox WHERE id = ANY($1::bigint[])`, [rows.map((r) => r.id)]);
      for (const row of rows) published.inc({ schema, topic: row.topic });
      return rows.length;
    } finally {
      await this.session.release(lanes);
    }
  }

  private async run(): Promise<void> {
    let backoff = 0;
    while (this.running) {
      try {
        this.woken = false;
        const count = await this.publishBatch();
        backoff = 0;
        if (count === this.batchSize || this.woken) continue;
      } catch (error) {
        failures.inc({ schema: this.options.schema });
        backoff = Math.min(Math.max(backoff * 2, 100), this.maxBackoffMs);
        this.logger.warn(
          `outbox ${this.options.schema}: publish failed, retrying in ${backoff} ms: ${describeError(error)}`,
        );
        await this.sleep(backoff);
        continue;
      }
      await this.sleep(this.pollIntervalMs);
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      this.wakeUp = done;
      function done() {
        clearTimeout(timer);
        resolve();
      }
    });
  }
}

/** Groups rows by topic, keeping outbox order within each topic (and so within each key). */
function toTopicMessages(rows: OutboxRow[], namespace: string): TopicMessages[] {
  const byTopic = new Map<string, Message[]>();
  for (const row of rows) {
    const messages = byTopic.get(row.topic) ?? [];
    messages.push({ key: row.key, value: row.value, headers: row.headers });
    byTopic.set(row.topic, messages);
  }
  return [...byTopic].map(([topic, messages]) => ({ topic: namespace + topic, messages }));
}
