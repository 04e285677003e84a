import { Command } from '@nestjs/cqrs';
import type { FieldError } from '@ruta/contracts';

export type AcceptIntakeEventResult =
  | { ok: true; status: 'accepted' | 'duplicate'; id: string }
  | { ok: false; code: 'INTAKE.INVALID_EVENT'; errors: FieldError[] }
  | { ok: false; code: 'INTAKE.ID_CONFLICT'; id: string };

/** Accept one intake event from a border service, whatever channel it came in on. */
export class AcceptIntakeEventCommand extends Command<AcceptIntakeEventResult> {
  constructor(readonly event: unknown) {
    super();
  }
}
