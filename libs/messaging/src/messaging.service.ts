import {
  Inject,
  Injectable,
  Logger,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
  type OnModuleInit,
} from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Kafka, Producer } from 'kafkajs';
import { DataSource } from 'typeorm';
import { BatchConsumer, type BatchConsumerOptions } from './consumer/batch-consumer';
import { deadLetterTopic } from './dead-letters/dead-letter';
import { createKafka, ensureTopics, kafkaNamespace } from './kafka/kafka.config';
import { createOutboxProducer } from './outbox/outbox.producer';
import { OutboxRelay } from './outbox/outbox.relay';

export const MESSAGING_OPTIONS = Symbol('MESSAGING_OPTIONS');

export interface MessagingOptions {
  clientId: string;
  /** The service's schema, where its outbox and inbox live. */
  schema: string;
  /** Topics this service produces to; created when missing (consumed ones and their DLQs too). */
  topics: string[];
}

/** Owns the service's Kafka client, its idempotent producer, outbox relay and batch consumers. */
@Injectable()
export class MessagingService implements OnModuleInit, OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(MessagingService.name);
  readonly kafka: Kafka;
  readonly producer: Producer;
  readonly relay: OutboxRelay;
  private readonly consumers: BatchConsumer[] = [];
  private readonly namespace = kafkaNamespace();

  constructor(
    @Inject(MESSAGING_OPTIONS) private readonly options: MessagingOptions,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {
    this.kafka = createKafka(options.clientId);
    this.producer = createOutboxProducer(this.kafka);
    // Every service has an outbox: for its own events, and for the dead letters of its consumers.
    this.relay = new OutboxRelay(dataSource, this.producer, { schema: options.schema, namespace: this.namespace });
  }

  /** Registers a consumer; it starts once the application has bootstrapped. */
  addBatchConsumer(options: BatchConsumerOptions): BatchConsumer {
    const consumer = new BatchConsumer(this.kafka, this.dataSource, {
      namespace: this.namespace,
      schema: this.options.schema,
      onOutboxWritten: () => this.relay.wake(),
      ...options,
    });
    this.consumers.push(consumer);
    return consumer;
  }

  /** The consumers registered so far (the dead-letter redrive serves their topics). */
  get batchConsumers(): readonly BatchConsumer[] {
    return this.consumers;
  }

  async onModuleInit(): Promise<void> {
    await this.producer.connect();
  }

  async onApplicationBootstrap(): Promise<void> {
    const consumed = this.consumers.flatMap((c) => c.topics);
    const topics = new Set([...this.options.topics, ...consumed, ...consumed.map(deadLetterTopic)]);
    await ensureTopics(
      this.kafka,
      [...topics].map((t) => this.namespace + t),
    );
    this.relay.start();
    for (const consumer of this.consumers) await consumer.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    for (const consumer of this.consumers) await consumer.stop();
    await this.relay.stop();
    await this.producer.disconnect();
    this.logger.log('messaging stopped');
  }
}
