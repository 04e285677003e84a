import { Injectable, type OnModuleInit } from '@nestjs/common';
import { Topics } from '@ruta/contracts';
import { MessagingService, type BatchOutcome, type ConsumedMessage, type DeadLetter } from '@ruta/messaging';
import type { EntityManager } from 'typeorm';
import { IdentifierVault } from '../identifiers/identifier-vault';
import { intakeOutcomes } from '../intake.metrics';
import { ID_CONFLICT, IntakeStore } from '../store/intake.store';
import { judgeSubmission, type Submission } from '../store/submission';

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
    private readonly vault: IdentifierVault,
  ) {}

  onModuleInit(): void {
    this.messaging.addBatchConsumer({
      groupId: SUBMISSIONS_GROUP,
      topics: [Topics.intakeSubmissions],
      handler: (messages, manager) => this.handle(messages, manager),
      // Agency systems produce this topic: their headers never steer the runner.
      producedOutsideRuta: true,
    });
  }

  async handle(messages: ConsumedMessage[], manager: EntityManager): Promise<BatchOutcome> {
    const events: { message: ConsumedMessage; submission: Submission }[] = [];
    const deadLetters: DeadLetter[] = [];
    for (const message of messages) {
      const judged = judgeMessage(message, this.vault);
      if (judged.ok) events.push({ message, submission: judged.submission });
      else deadLetters.push({ ...positionOf(message), code: judged.code, errors: judged.errors });
    }
    const outcomes = await this.store.storeIn(
      manager,
      events.map((e) => e.submission),
    );
    const conflicts: DeadLetter[] = [];
    outcomes.forEach((outcome, i) => {
      if (outcome === 'conflict') conflicts.push({ ...positionOf(events[i]!.message), ...ID_CONFLICT });
    });
    return {
      deadLetters: [...deadLetters, ...conflicts],
      wroteOutbox: outcomes.includes('accepted'),
      onCommit: () => {
        for (const outcome of outcomes)
          intakeOutcomes.inc({ outcome: outcome === 'conflict' ? ID_CONFLICT.code : outcome });
        if (deadLetters.length > 0) intakeOutcomes.inc({ outcome: 'INTAKE.INVALID_EVENT' }, deadLetters.length);
      },
    };
  }
}

function positionOf(message: ConsumedMessage) {
  return { topic: message.topic, partition: message.partition, offset: message.offset };
}

function judgeMessage(message: ConsumedMessage, vault: IdentifierVault) {
  let raw: unknown;
  try {
    raw = JSON.parse(message.value ?? '');
  } catch {
    return { ok: false as const, code: 'MESSAGE.UNPARSEABLE', errors: [{ field: '', messages: ['not JSON'] }] };
  }
  const judged = judgeSubmission(raw, vault);
  return judged.ok ? judged : { ...judged, code: 'MESSAGE.INVALID' };
}
