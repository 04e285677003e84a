import {
  Inject,
  Injectable,
  Logger,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
  type OnModuleInit,
} from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Partitioners, type Kafka, type Producer } from 'kafkajs';
import { DataSource } from 'typeorm';
import { BatchConsumer, type BatchConsumerOptions } from './consumer/batch-consumer';
import { createKafka, ensureTopics, kafkaNamespace } from './kafka/kafka.config';
import { OutboxRelay } from './outbox/outbox.relay';

export const MESSAGING_OPTIONS = Symbol('MESSAGING_OPTIONS');

export interface MessagingOptions {
  clientId: string;
  /** The service's schema, where its outbox and inbox live. */
  schema: string;
  /** Topics this service produces to or consumes from; created when missing. */
  topics: string[];
  /** Run the outbox relay (services that emit events). */
  relay: boolean;
}

/** Owns the service's Kafka client, its idempotent producer, outbox relay and batch consumers. */
@Injectable()
export class MessagingService implements OnModuleInit, OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(MessagingService.name);
  readonly kafka: Kafka;
  readonly producer: Producer;
  readonly relay?: OutboxRelay;
  private readonly consumers: BatchConsumer[] = [];
  private readonly namespace = kafkaNamespace();

  constructor(
    @Inject(MESSAGING_OPTIONS) private readonly options: MessagingOptions,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {
    this.kafka = createKafka(options.clientId);
    // kafkajs's idempotent producer needs acks -1, one request in flight and unbounded retries;
    // the relay's own loop backs off around it. The default partitioner hashes the key (person id).
    this.producer = this.kafka.producer({
      idempotent: true,
      maxInFlightRequests: 1,
      allowAutoTopicCreation: false,
      createPartitioner: Partitioners.DefaultPartitioner,
      retry: { initialRetryTime: 200, maxRetryTime: 5000, retries: Number.MAX_SAFE_INTEGER },
    });
    if (options.relay)
      this.relay = new OutboxRelay(dataSource, this.producer, { schema: options.schema, namespace: this.namespace });
  }

  /** Registers a consumer; it starts once the application has bootstrapped. */
  addBatchConsumer(options: BatchConsumerOptions): BatchConsumer {
    const consumer = new BatchConsumer(this.kafka, this.dataSource, { namespace: this.namespace, ...options });
    this.consumers.push(consumer);
    return consumer;
  }

  async onModuleInit(): Promise<void> {
    await ensureTopics(
      this.kafka,
      this.options.topics.map((t) => this.namespace + t),
    );
    if (this.relay) await this.producer.connect();
  }

  async onApplicationBootstrap(): Promise<void> {
    this.relay?.start();
    for (const consumer of this.consumers) await consumer.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    for (const consumer of this.consumers) await consumer.stop();
    await this.relay?.stop();
    if (this.relay) await this.producer.disconnect();
    this.logger.log('messaging stopped');
  }
}
