import { Body, Controller, HttpCode, Inject, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { Roles } from '@ruta/auth';
import { JsonTextBody } from '@ruta/platform';
import { splitJsonArrayMember, UNKNOWN_FIELD, type FieldError } from '@ruta/contracts';
import { ApiIntakeBatch } from '../../http/intake-openapi';
import { batchTooLarge, invalidRequest, requireJsonText } from '../../http/intake-problems';
import { INTAKE_LIMITS, type IntakeLimits } from '../../intake.constants';
import { IntakeAdmission } from '../../store/intake-admission';
import { AcceptIntakeBatchCommand, type AcceptIntakeBatchResult } from './accept-intake-batch.command';

@Controller('v1/intake')
export class AcceptIntakeBatchHttpController {
  constructor(
    private readonly commands: CommandBus,
    private readonly admission: IntakeAdmission,
    @Inject(INTAKE_LIMITS) private readonly limits: IntakeLimits,
  ) {}

  /**
   * `{"events": [...]}`: 200 with one result per event, in order (accepted, duplicate, or rejected
   * with the fields at fault). The body is split into its events without building them, and the
   * count is checked while splitting: 413 past the size or count limit, 429 when overloaded.
   */
  @Post('events::batch')
  @Roles('border-agent')
  @JsonTextBody()
  @ApiIntakeBatch()
  @HttpCode(200)
  async acceptBatch(@Body() body: unknown): Promise<AcceptIntakeBatchResult> {
    const split = splitJsonArrayMember(requireJsonText(body), 'events', this.limits.batchMaxEvents);
    if (!split.ok) {
      if (split.problem === 'too-many') throw batchTooLarge(this.limits.batchMaxEvents);
      const errors: FieldError[] =
        split.problem === 'syntax' ? [{ field: '', messages: [split.message] }] : shapeErrors(split.unknownFields);
      throw invalidRequest(errors);
    }
    if (split.items.length === 0) {
      throw invalidRequest([{ field: 'events', messages: ['events must be a non-empty array of CloudEvents'] }]);
    }
    return this.admission.run(() => this.commands.execute(new AcceptIntakeBatchCommand(split.items)));
  }
}

/** `events` missing or not an array, and any other member, named without the sender's names. */
function shapeErrors(unknownFields: number): FieldError[] {
  return [
    { field: 'events', messages: ['events must be a non-empty array of CloudEvents'] },
    ...Array.from({ length: unknownFields }, () => ({
      field: UNKNOWN_FIELD,
      messages: ['this field is not in the request'],
      unknown: true as const,
    })),
  ];
}
