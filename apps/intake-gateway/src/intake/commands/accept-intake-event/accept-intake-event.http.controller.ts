import { BadRequestException, Body, ConflictException, Controller, HttpCode, Post, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import type { FastifyReply } from 'fastify';
import { AcceptIntakeEventCommand } from './accept-intake-event.command';

@Controller('v1/intake/events')
export class AcceptIntakeEventHttpController {
  constructor(private readonly commands: CommandBus) {}

  /** 202 when accepted, 200 when this id was already accepted with the same content. */
  @Post()
  @HttpCode(202)
  async accept(@Body() body: unknown, @Res({ passthrough: true }) reply: FastifyReply) {
    const result = await this.commands.execute(new AcceptIntakeEventCommand(body));
    if (result.ok) {
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
    throw new BadRequestException({
      type: 'urn:ruta:problem:intake.invalid-event',
      title: 'invalid intake event',
      detail: `fields at fault: ${result.errors.map((e) => e.field || '(body)').join(', ')}`,
      errors: result.errors,
    });
  }
}
