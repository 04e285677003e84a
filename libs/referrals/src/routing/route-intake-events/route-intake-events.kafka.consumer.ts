import { Injectable, Inject, type OnModuleInit } from '@nestjs/common';
import { contractsByType, INTAKE_EVENT_CONTRACTS, Topics } from '@ruta/contracts';
import { MessagingService, parseBatch, type BatchOutcome, type ConsumedMessage } from '@ruta/messaging';
import type { EntityManager } from 'typeorm';
import { SECTOR_CONFIG, type SectorConfig } from '../../sector.config';
import { RouteIntakeEventsHandler } from './route-intake-events.handler';

const CONTRACTS = contractsByType(INTAKE_EVENT_CONTRACTS);

/** Reads intake.events.v1 in this sector's group: one transaction per Kafka batch, through the routing handler. */
@Injectable()
export class RouteIntakeEventsKafkaConsumer implements OnModuleInit {
  constructor(
    @Inject(SECTOR_CONFIG) private readonly config: SectorConfig,
    private readonly messaging: MessagingService,
    private readonly handler: RouteIntakeEventsHandler,
  ) {}

  onModuleInit(): void {
    this.messaging.addBatchConsumer({
      groupId: `${this.config.sector}-service`,
      topics: [Topics.intakeEvents],
      handler: (messages, manager) => this.handle(messages, manager),
    });
  }

  async handle(messages: ConsumedMessage[], manager: EntityManager): Promise<BatchOutcome> {
    const { events, deadLetters } = parseBatch(messages, CONTRACTS);
    const wroteOutbox = await this.handler.execute(
      events.map((p) => p.event),
      manager,
    );
    return { deadLetters, wroteOutbox };
  }
}
