import {
  BadRequestException,
  Body,
  Controller,
  HttpCode,
  HttpException,
  HttpStatus,
  Inject,
  Post,
} from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
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
   * with the fields at fault). 413 past the size or count limit, 429 when overloaded.
   */
  @Post('events::batch')
  @HttpCode(200)
  async acceptBatch(@Body() body: unknown): Promise<AcceptIntakeBatchResult> {
    const events = (body as { events?: unknown } | null)?.events;
    const extra = typeof body === 'object' && body !== null ? Object.keys(body).filter((k) => k !== 'events') : [];
    if (!Array.isArray(events) || events.length === 0 || extra.length > 0) {
      const errors = [
        ...(!Array.isArray(events) || events.length === 0
          ? [{ field: 'events', messages: ['events must be a non-empty array of CloudEvents'] }]
          : []),
        ...extra.map((field) => ({ field, messages: [`property ${field} should not exist`] })),
      ];
      throw new BadRequestException({
        type: 'urn:ruta:problem:invalid-request',
        title: 'invalid request',
        detail: `fields at fault: ${errors.map((e) => e.field).join(', ')}`,
        errors,
      });
    }
    if (events.length > this.limits.batchMaxEvents) {
      throw new HttpException(
        {
          type: 'urn:ruta:problem:intake.batch-too-large',
          title: 'batch too large',
          detail: `events holds ${events.length} events; at most ${this.limits.batchMaxEvents} per batch`,
          errors: [{ field: 'events', messages: [`at most ${this.limits.batchMaxEvents} events per batch`] }],
        },
        HttpStatus.PAYLOAD_TOO_LARGE,
      );
    }
    return this.admission.run(() => this.commands.execute(new AcceptIntakeBatchCommand(events)));
  }
}
