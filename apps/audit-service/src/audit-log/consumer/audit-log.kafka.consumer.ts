import { Injectable, type OnModuleInit } from '@nestjs/common';
import { MessagingService, parseBatch, type BatchOutcome, type ConsumedMessage } from '@ruta/messaging';
import type { EntityManager } from 'typeorm';
import { AUDITED_CONTRACTS, AUDITED_TOPICS } from '../audit.constants';
import { AuditLogWriter } from '../log/audit-log.writer';
import { arrivalOf } from '../log/log-entry.mapping';

/**
 * Appends every event of every audited topic to the audit log, once per event id: a redelivered
 * batch, a relay's republished copy (a new Kafka position) or a redriven one adds nothing.
 */
@Injectable()
export class AuditLogKafkaConsumer implements OnModuleInit {
  constructor(
    private readonly messaging: MessagingService,
    private readonly log: AuditLogWriter,
  ) {}

  onModuleInit(): void {
    this.messaging.addBatchConsumer({
      groupId: 'audit-service',
      topics: AUDITED_TOPICS,
      handler: (messages, manager) => this.handle(messages, manager),
    });
  }

  async handle(messages: ConsumedMessage[], manager: EntityManager): Promise<BatchOutcome> {
    const { events, deadLetters } = parseBatch(messages, AUDITED_CONTRACTS);
    if (events.length > 0)
      await this.log.append(
        manager,
        events.map(({ message, event }) => arrivalOf(message, event)),
      );
    return { deadLetters };
  }
}
