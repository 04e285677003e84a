import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { Topics } from '@ruta/contracts';
import { MessagingService, type BatchOutcome, type ConsumedMessage, type DeadLetter } from '@ruta/messaging';
import type { EntityManager } from 'typeorm';
import { INTAKE_LIMITS, type IntakeLimits } from '../intake.constants';
import { intakeOutcomes } from '../intake.metrics';
import { ID_CONFLICT, IntakeStore } from '../store/intake.store';
import { JudgeContext } from '../store/judge-context';
import { judgeSubmissionText, type JudgedSubmission, type Submission } from '../store/submission';

export const SUBMISSIONS_GROUP = 'intake-gateway-submissions';

/**
 * The Kafka way in: agency systems produce intake events to `intake.submissions.v1`. Each is judged
 * by the same judge as an HTTP submission; accepted ones take the same path (stored, then
 * `intake.events.v1`), rejected ones go to `intake.submissions.v1.dlq` with the fields at fault and
 * no content. Direct identifiers are refused here: on this topic they would travel in clear.
 */
@Injectable()
export class IntakeSubmissionsKafkaConsumer implements OnModuleInit {
  constructor(
    private readonly messaging: MessagingService,
    private readonly store: IntakeStore,
    private readonly judge: JudgeContext,
    @Inject(INTAKE_LIMITS) private readonly limits: IntakeLimits,
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
      const judged = judgeSubmissionText(message.value, this.judge, 'kafka', this.limits.eventBodyLimit);
      if (judged.ok) events.push({ message, submission: judged.submission });
      else
        deadLetters.push({
          ...positionOf(message),
          code: deadLetterCode(judged),
          errors: judged.errors,
          eventId: judged.eventId,
        });
    }
    const outcomes = await this.store.storeIn(
      manager,
      events.map((e) => e.submission),
    );
    const conflicts: DeadLetter[] = [];
    outcomes.forEach((outcome, i) => {
      const { message, submission } = events[i]!;
      if (outcome === 'conflict')
        conflicts.push({ ...positionOf(message), ...ID_CONFLICT, eventId: submission.event.id });
    });
    return {
      deadLetters: [...deadLetters, ...conflicts],
      wroteOutbox: outcomes.includes('accepted'),
      onCommit: () => {
        for (const outcome of outcomes)
          intakeOutcomes.inc({ outcome: outcome === 'conflict' ? ID_CONFLICT.code : outcome });
        for (const letter of deadLetters) intakeOutcomes.inc({ outcome: letter.code });
      },
    };
  }
}

function positionOf(message: ConsumedMessage) {
  return { topic: message.topic, partition: message.partition, offset: message.offset };
}

/** Dead-letter codes of the Kafka channel: unparseable, invalid, or identifiers sent in clear. */
function deadLetterCode(judged: Extract<JudgedSubmission, { ok: false }>): string {
  if (judged.code === 'INTAKE.UNPARSEABLE') return 'MESSAGE.UNPARSEABLE';
  if (judged.code === 'INTAKE.INVALID_EVENT') return 'MESSAGE.INVALID';
  return judged.code;
}
