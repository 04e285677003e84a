import { Logger } from '@nestjs/common';
import type { Consumer, EachBatchPayload, IHeaders, Kafka } from 'kafkajs';
import { Counter } from 'prom-client';
import type { DataSource, EntityManager } from 'typeorm';

export interface ConsumedMessage {
  topic: string;
  partition: number;
  offset: string;
  key: string | null;
  value: string | null;
  headers: IHeaders;
}

/** Applies one partition's batch inside one database transaction. Throwing retries the batch. */
export type BatchHandler = (messages: ConsumedMessage[], manager: EntityManager) => Promise<void>;

export interface BatchConsumerOptions {
  groupId: string;
  topics: string[];
  handler: BatchHandler;
  maxWaitTimeInMs?: number;
  maxBytesPerPartition?: number;
  /** Prefix of the physical topic and group names (RUTA_KAFKA_NAMESPACE). */
  namespace?: string;
}

const consumed = new Counter({
  name: 'ruta_consumer_messages_total',
  help: 'Messages whose batch committed, per consumer group and topic',
  labelNames: ['group', 'topic'],
});

/**
 * Runs a kafkajs consumer with eachBatch: one transaction per batch, offsets committed only after
 * the database commit, and never for a partition this member no longer owns.
 */
export class BatchConsumer {
  private readonly logger = new Logger(BatchConsumer.name);
  private consumer?: Consumer;

  constructor(
    private readonly kafka: Kafka,
    private readonly dataSource: DataSource,
    private readonly options: BatchConsumerOptions,
  ) {}

  async start(): Promise<void> {
    const ns = this.options.namespace ?? '';
    const consumer = this.kafka.consumer({
      groupId: ns + this.options.groupId,
      maxWaitTimeInMs: this.options.maxWaitTimeInMs ?? 100,
      maxBytesPerPartition: this.options.maxBytesPerPartition ?? 1024 * 1024,
    });
    this.consumer = consumer;
    await consumer.connect();
    await consumer.subscribe({ topics: this.options.topics.map((t) => ns + t), fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      eachBatch: (payload) => this.onBatch(consumer, payload),
    });
    this.logger.log(`group ${this.options.groupId} consuming ${this.options.topics.join(', ')}`);
  }

  async stop(): Promise<void> {
    await this.consumer?.disconnect();
  }

  private async onBatch(consumer: Consumer, payload: EachBatchPayload): Promise<void> {
    const { batch, isRunning, isStale, heartbeat, resolveOffset } = payload;
    if (batch.isEmpty() || !isRunning() || isStale()) return;
    const topic = batch.topic.slice((this.options.namespace ?? '').length);
    const messages: ConsumedMessage[] = batch.messages.map((m) => ({
      topic,
      partition: batch.partition,
      offset: m.offset,
      key: m.key?.toString('utf8') ?? null,
      value: m.value?.toString('utf8') ?? null,
      headers: m.headers ?? {},
    }));
    await this.dataSource.transaction((manager) => this.options.handler(messages, manager));
    const last = batch.lastOffset();
    resolveOffset(last);
    consumed.inc({ group: this.options.groupId, topic }, messages.length);
    // After a rebalance the partition may belong to another member: its commit would be refused,
    // and the inbox makes the redelivery there harmless.
    if (isStale()) return;
    await consumer.commitOffsets([
      { topic: batch.topic, partition: batch.partition, offset: (BigInt(last) + 1n).toString() },
    ]);
    await heartbeat();
  }
}
