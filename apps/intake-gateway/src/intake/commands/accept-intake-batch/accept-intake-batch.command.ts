import { Command } from '@nestjs/cqrs';
import type { FieldError } from '@ruta/contracts';
import type { RejectionCode } from '../../store/submission';

export type IntakeEventResult =
  | { id?: string; status: 'accepted' | 'duplicate' }
  | {
      id?: string;
      status: 'rejected';
      code: RejectionCode | 'INTAKE.ID_CONFLICT' | 'INTAKE.UNSTORABLE' | 'INTAKE.PERSON_ERASED';
      errors: FieldError[];
    };

export interface AcceptIntakeBatchResult {
  accepted: number;
  duplicate: number;
  rejected: number;
  /** One result per submitted event, in the order submitted. */
  results: IntakeEventResult[];
}

/**
 * Accept many intake events at once, each given as its own JSON text (read within the gateway's
 * bounds by the judge); each is judged on its own, one bad event sinks nothing else.
 */
export class AcceptIntakeBatchCommand extends Command<AcceptIntakeBatchResult> {
  constructor(readonly events: readonly string[]) {
    super();
  }
}
