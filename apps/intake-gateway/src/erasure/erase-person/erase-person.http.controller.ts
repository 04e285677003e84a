import { Body, Controller, HttpCode, NotFoundException, Param, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiOkResponse, ApiResponse } from '@nestjs/swagger';
import { CurrentPrincipal, Roles, type Principal } from '@ruta/auth';
import { ApiProblems, PROBLEM_SCHEMA } from '@ruta/platform';
import type { ErasureAnswer } from '../erase-person';
import { ErasePersonCommand } from './erase-person.command';
import { ErasePersonParams, ErasePersonRequest } from './erase-person.request';

/**
 * POST /v1/admin/people/{personId}:erase (AIP-136 custom method; Fastify reads a literal ":" as "::",
 * and a parameter followed by one needs a pattern to end). The pattern only delimits the path: the
 * person id itself is checked by ErasePersonParams, so a malformed one is a 400 naming it.
 */
@Controller('v1/admin/people')
@Roles('admin')
export class ErasePersonHttpController {
  constructor(private readonly commands: CommandBus) {}

  @Post(':personId(^[^/:]{1,200})::erase')
  @HttpCode(200)
  @ApiOkResponse({
    description:
      "the person's data key is destroyed: their direct identifiers and caseworkers' notes about them can no longer " +
      'be read anywhere; person.erased is published on ops.events.v1 with the caller as actor. Erasing again answers the same.',
    schema: { example: { personId: 'p-7f3a9c2e41b8', erased: true, erasedAt: '2026-11-29T14:00:00.000Z' } },
  })
  @ApiProblems('invalidRequest')
  @ApiResponse({
    status: 404,
    description: 'urn:ruta:problem:person.not-found: the gateway has no event of this person and no key for them',
    content: { 'application/problem+json': { schema: PROBLEM_SCHEMA as never } },
  })
  async erase(
    @CurrentPrincipal() caller: Principal,
    @Param() { personId }: ErasePersonParams,
    @Body() body: ErasePersonRequest,
  ): Promise<ErasureAnswer> {
    const answer = await this.commands.execute(
      new ErasePersonCommand({ personId, reason: body.reason, actor: caller.subject, channel: 'http', at: new Date() }),
    );
    if (!answer) {
      throw new NotFoundException({
        type: 'urn:ruta:problem:person.not-found',
        title: 'not found',
        detail: 'no such person',
      });
    }
    return answer;
  }
}
