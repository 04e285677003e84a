import { Command } from '@nestjs/cqrs';
import type { FieldError } from '@ruta/contracts';

export type IntakeEventResult =
  | { id?: string; status: 'accepted' | 'duplicate' }
  | { id?: string; status: 'rejected'; code: 'INTAKE.INVALID_EVENT' | 'INTAKE.ID_CONFLICT'; errors: FieldError[] };

export interface AcceptIntakeBatchResult {
  accepted: number;
  duplicate: number;
  rejected: number;
  /** One result per submitted event, in the order submitted. */
  results: IntakeEventResult[];
}

/** Accept many intake events at once; each is judged on its own, one bad event sinks nothing else. */
export class AcceptIntakeBatchCommand extends Command<AcceptIntakeBatchResult> {
  constructor(readonly events: readonly unknown[]) {
    super();
  }
}
