import { Injectable, type OnModuleInit } from '@nestjs/common';
import { Topics } from '@ruta/contracts';
import {
  MessagingService,
  parseBatch,
  type BatchOutcome,
  type ConsumedMessage,
  type DeadLetter,
} from '@ruta/messaging';
import type { EntityManager } from 'typeorm';
import { INTAKE_CONTRACTS } from '../intake.constants';
import { intakeOutcomes } from '../intake.metrics';
import { IntakeStore } from '../store/intake.store';

export const SUBMISSIONS_GROUP = 'intake-gateway-submissions';

/**
 * The Kafka way in: agency systems produce intake events to `intake.submissions.v1`. Each is judged
 * like an HTTP submission; accepted ones take the same path (stored, then `intake.events.v1`),
 * rejected ones go to `intake.submissions.v1.dlq` with the fields at fault and no content.
 */
@Injectable()
export class IntakeSubmissionsKafkaConsumer implements OnModuleInit {
  constructor(
    private readonly messaging: MessagingService,
    private readonly store: IntakeStore,
  ) {}

  onModuleInit(): void {
    this.messaging.addBatchConsumer({
      groupId: SUBMISSIONS_GROUP,
      topics: [Topics.intakeSubmissions],
      handler: (messages, manager) => this.handle(messages, manager),
    });
  }

  async handle(messages: ConsumedMessage[], manager: EntityManager): Promise<BatchOutcome> {
    const { events, deadLetters } = parseBatch(messages, INTAKE_CONTRACTS);
    const outcomes = await this.store.storeIn(
      manager,
      events.map((e) => e.event),
    );
    const conflicts: DeadLetter[] = [];
    outcomes.forEach((outcome, i) => {
      intakeOutcomes.inc({ outcome: outcome === 'conflict' ? 'INTAKE.ID_CONFLICT' : outcome });
      if (outcome !== 'conflict') return;
      const { message } = events[i]!;
      conflicts.push({
        topic: message.topic,
        partition: message.partition,
        offset: message.offset,
        code: 'INTAKE.ID_CONFLICT',
        errors: [{ field: 'id', messages: ['an event with this id was accepted with different content'] }],
      });
    });
    if (deadLetters.length > 0) intakeOutcomes.inc({ outcome: 'INTAKE.INVALID_EVENT' }, deadLetters.length);
    return { deadLetters: [...deadLetters, ...conflicts], wroteOutbox: outcomes.includes('accepted') };
  }
}
