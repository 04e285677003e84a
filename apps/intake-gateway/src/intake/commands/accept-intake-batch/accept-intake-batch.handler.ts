import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { IdentifierVault } from '../../identifiers/identifier-vault';
import { intakeOutcomes } from '../../intake.metrics';
import { ID_CONFLICT, IntakeStore } from '../../store/intake.store';
import { judgeSubmission, type Submission } from '../../store/submission';
import {
  AcceptIntakeBatchCommand,
  type AcceptIntakeBatchResult,
  type IntakeEventResult,
} from './accept-intake-batch.command';

/** Validates every event, then stores the valid ones in one transaction. */
@CommandHandler(AcceptIntakeBatchCommand)
export class AcceptIntakeBatchHandler implements ICommandHandler<AcceptIntakeBatchCommand> {
  constructor(
    private readonly store: IntakeStore,
    private readonly vault: IdentifierVault,
  ) {}

  async execute({ events }: AcceptIntakeBatchCommand): Promise<AcceptIntakeBatchResult> {
    const results: IntakeEventResult[] = new Array(events.length);
    const valid: { index: number; submission: Submission }[] = [];
    events.forEach((raw, index) => {
      const judged = judgeSubmission(raw, this.vault);
      if (judged.ok) valid.push({ index, submission: judged.submission });
      else results[index] = { id: idOf(raw), status: 'rejected', code: 'INTAKE.INVALID_EVENT', errors: judged.errors };
    });
    const outcomes = await this.store.store(valid.map((v) => v.submission));
    valid.forEach(({ index, submission: { event } }, i) => {
      const outcome = outcomes[i];
      results[index] =
        outcome === 'conflict'
          ? { id: event.id, status: 'rejected', code: ID_CONFLICT.code, errors: ID_CONFLICT.errors }
          : { id: event.id, status: outcome! };
    });
    const summary = { accepted: 0, duplicate: 0, rejected: 0 };
    for (const result of results) {
      summary[result.status]++;
      intakeOutcomes.inc({ outcome: result.status === 'rejected' ? result.code : result.status });
    }
    return { ...summary, results };
  }
}

/** The event's id when it is a sane one, so a client can match results; never other content. */
function idOf(raw: unknown): string | undefined {
  const id = (raw as { id?: unknown } | null)?.id;
  return typeof id === 'string' && /^[A-Za-z0-9._:-]{1,128}$/.test(id) ? id : undefined;
}
