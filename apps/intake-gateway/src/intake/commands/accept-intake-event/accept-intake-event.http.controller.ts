import { Body, ConflictException, Controller, HttpCode, Post, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { Roles } from '@ruta/auth';
import { JsonTextBody } from '@ruta/platform';
import type { FastifyReply } from 'fastify';
import { ApiIntakeEvent } from '../../http/intake-openapi';
import { invalidRequest, requireJsonText } from '../../http/intake-problems';
import { IntakeAdmission } from '../../store/intake-admission';
import { AcceptIntakeBatchCommand } from '../accept-intake-batch/accept-intake-batch.command';

@Controller('v1/intake')
export class AcceptIntakeEventHttpController {
  constructor(
    private readonly commands: CommandBus,
    private readonly admission: IntakeAdmission,
  ) {}

  /** One event: 202 when accepted, 200 when this id was already accepted with the same content. */
  @Post('events')
  @Roles('border-agent')
  @JsonTextBody()
  @ApiIntakeEvent()
  @HttpCode(202)
  async accept(@Body() body: unknown, @Res({ passthrough: true }) reply: FastifyReply) {
    const text = requireJsonText(body);
    const { results } = await this.admission.run(() => this.commands.execute(new AcceptIntakeBatchCommand([text])));
    const result = results[0]!;
    if (result.status !== 'rejected') {
      if (result.status === 'duplicate') reply.status(200);
      return { id: result.id, status: result.status };
    }
    if (result.code === 'INTAKE.ID_CONFLICT') {
      throw new ConflictException({
        type: 'urn:ruta:problem:intake.id-conflict',
        title: 'event id already used',
        detail: `an event with id ${result.id} was accepted with different content`,
      });
    }
    throw invalidRequest(result.errors, 'urn:ruta:problem:intake.invalid-event', 'invalid intake event');
  }
}
