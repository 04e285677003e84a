import {
  Inject,
  Injectable,
  Logger,
  Optional,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { describeError } from '@ruta/persistence';
import { ReadinessRegistry, type Readiness, type ReadinessCheck } from '@ruta/platform';
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

const MAX_START_BACKOFF_MS = 10_000;

/**
 * Owns the service's Kafka client, its idempotent producer, outbox relay and batch consumers.
 * They start in the background once the application has bootstrapped, so HTTP (liveness) is up at
 * once; /health/ready reports them ready when the producer is connected, the topics exist and every
 * consumer has joined its group.
 */
@Injectable()
export class MessagingService implements OnApplicationBootstrap, BeforeApplicationShutdown, ReadinessCheck {
  readonly name = 'messaging';
  private readonly logger = new Logger(MessagingService.name);
  readonly kafka: Kafka;
  readonly producer: Producer;
  readonly relay: OutboxRelay;
  private readonly consumers: BatchConsumer[] = [];
  private readonly namespace = kafkaNamespace();
  private producerConnected = false;
  private topicsEnsured = false;
  private stopping = false;
  private startup: Promise<void> = Promise.resolve();
  private wakeStartup?: () => void;

  constructor(
    @Inject(MESSAGING_OPTIONS) private readonly options: MessagingOptions,
    @InjectDataSource() private readonly dataSource: DataSource,
    @Optional() readiness?: ReadinessRegistry,
  ) {
    this.kafka = createKafka(options.clientId);
    this.producer = createOutboxProducer(this.kafka);
    // Every service has an outbox: for its own events, and for the dead letters of its consumers.
    this.relay = new OutboxRelay(dataSource, this.producer, { schema: options.schema, namespace: this.namespace });
    readiness?.register(this);
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

  /** Settles when messaging has started (or stopped trying because the service is stopping). */
  get started(): Promise<void> {
    return this.startup;
  }

  readiness(): Readiness {
    const details: Record<string, string> = {
      producer: this.producerConnected ? 'connected' : 'connecting',
      topics: this.topicsEnsured ? 'ensured' : 'pending',
    };
    for (const c of this.consumers) details[`group ${c.groupId}`] = c.joined ? 'joined' : 'joining';
    const ready =
      !this.stopping && this.producerConnected && this.topicsEnsured && this.consumers.every((c) => c.joined);
    return { ready, details };
  }

  onApplicationBootstrap(): void {
    // Not awaited: Nest would hold app.listen (and /health/live) until every group is joined.
    this.startup = this.start();
  }

  private async start(): Promise<void> {
    const connected = await this.retrying('connect the producer', async () => {
      await this.producer.connect();
      this.producerConnected = true;
    });
    const consumed = this.consumers.flatMap((c) => c.topics);
    const topics = [...new Set([...this.options.topics, ...consumed, ...consumed.map(deadLetterTopic)])];
    const ensured =
      connected &&
      (await this.retrying('create the topics', async () => {
        await ensureTopics(
          this.kafka,
          topics.map((t) => this.namespace + t),
        );
        this.topicsEnsured = true;
      }));
    if (!ensured || this.stopping) return;
    this.relay.start();
    for (const consumer of this.consumers) {
      const started = await this.retrying(
        `start group ${consumer.groupId}`,
        () => consumer.start(),
        () => consumer.stop(),
      );
      if (!started) return;
    }
  }

  /**
   * Runs a start-up step until it succeeds, backing off with a log line while Kafka is
   * unreachable; gives up (false) once the service is stopping, undoing a step that finished late.
   */
  private async retrying(what: string, step: () => Promise<void>, undo?: () => Promise<void>): Promise<boolean> {
    for (let backoff = 500; !this.stopping; backoff = Math.min(backoff * 2, MAX_START_BACKOFF_MS)) {
      try {
        await step();
        if (!this.stopping) return true;
      } catch (error) {
        if (!this.stopping)
          this.logger.warn(`messaging: could not ${what}, retrying in ${backoff} ms: ${describeError(error)}`);
      }
      await undo?.().catch(() => undefined);
      if (this.stopping) break;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, backoff);
        this.wakeStartup = () => (clearTimeout(timer), resolve());
      });
    }
    return false;
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopping = true;
    this.wakeStartup?.();
    for (const consumer of this.consumers) await consumer.stop();
    await this.relay.stop();
    await this.producer.disconnect();
    // A start-up step still running (a group join) ends once its consumer is stopped.
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([this.startup, new Promise((r) => (timer = setTimeout(r, 10_000)))]);
    clearTimeout(timer);
    this.logger.log('messaging stopped');
  }
}
