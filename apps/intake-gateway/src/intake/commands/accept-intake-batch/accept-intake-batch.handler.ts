import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { INTAKE_LIMITS, type IntakeLimits } from '../../intake.constants';
import { intakeOutcomes } from '../../intake.metrics';
import { ERASED_PERSON, ID_CONFLICT, IntakeStore, UNSTORABLE } from '../../store/intake.store';
import { JudgeContext } from '../../store/judge-context';
import { judgeSubmissionText, type Submission } from '../../store/submission';
import {
  AcceptIntakeBatchCommand,
  type AcceptIntakeBatchResult,
  type IntakeEventResult,
} from './accept-intake-batch.command';

/** Judges every event, then stores the valid ones in one transaction. */
@CommandHandler(AcceptIntakeBatchCommand)
export class AcceptIntakeBatchHandler implements ICommandHandler<AcceptIntakeBatchCommand> {
  constructor(
    private readonly store: IntakeStore,
    private readonly judge: JudgeContext,
    @Inject(INTAKE_LIMITS) private readonly limits: IntakeLimits,
  ) {}

  async execute({ events }: AcceptIntakeBatchCommand): Promise<AcceptIntakeBatchResult> {
    const results: IntakeEventResult[] = new Array(events.length);
    const valid: { index: number; submission: Submission }[] = [];
    events.forEach((text, index) => {
      const judged = judgeSubmissionText(text, this.judge, 'http', this.limits.eventBodyLimit);
      if (judged.ok) valid.push({ index, submission: judged.submission });
      else results[index] = { id: judged.eventId, status: 'rejected', code: judged.code, errors: judged.errors };
    });
    const outcomes = await this.store.store(valid.map((v) => v.submission));
    valid.forEach(({ index, submission: { event } }, i) => {
      const outcome = outcomes[i]!;
      results[index] =
        outcome === 'conflict'
          ? { id: event.id, status: 'rejected', ...ID_CONFLICT }
          : outcome === 'unstorable'
            ? { id: event.id, status: 'rejected', ...UNSTORABLE }
            : outcome === 'erased'
              ? { id: event.id, status: 'rejected', ...ERASED_PERSON }
              : { id: event.id, status: outcome };
    });
    const summary = { accepted: 0, duplicate: 0, rejected: 0 };
    for (const result of results) {
      summary[result.status]++;
      intakeOutcomes.inc({ outcome: result.status === 'rejected' ? result.code : result.status });
    }
    return { ...summary, results };
  }
}
