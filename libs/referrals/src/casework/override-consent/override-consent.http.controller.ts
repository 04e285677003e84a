import { Body, Controller, Headers, Param, Post, Res, type Type } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { CurrentPrincipal, Roles, type Principal } from '@ruta/auth';
import type { Sector } from '@ruta/contracts';
import type { FastifyReply } from 'fastify';
import { actorOf } from '../actor-of';
import { ApiOverrideConsent } from './override-consent.openapi';
import { OverrideConsentCommand, type OverrideConsentAnswer } from './override-consent.command';
import { decisionNotFound, problemOf, statusOf } from './override-consent.problems';
import { OverrideConsentRequest } from './override-consent.request';
import { invalidIdempotencyKey, isDecisionId, isIdempotencyKey } from './override-consent.http-input';

/** POST /v1/<sector>/decisions/{decisionId}:override-consent, made per sector like the decisions list. */
export function overrideConsentController(sector: Sector): Type<unknown> {
  @Controller(`v1/${sector}/decisions`)
  class OverrideConsentHttpController {
    constructor(readonly commands: CommandBus) {}

    /**
     * A supervisor of this sector turns a decision deferred for want of consent into a referral,
     * with a legal basis other than consent and a reason code. Fastify writes the literal ":" as "::",
     * and a parameter followed by one needs a pattern to end it (else its name swallows "::override").
     */
    @Post(':decisionId(^\\d+)::override-consent')
    @Roles('supervisor')
    @ApiOverrideConsent()
    async override(
      @Param('decisionId') decisionId: string,
      @Body() body: OverrideConsentRequest,
      @Headers('idempotency-key') key: string | undefined,
      @CurrentPrincipal() principal: Principal,
      @Res({ passthrough: true }) reply: FastifyReply,
    ): Promise<OverrideConsentAnswer> {
      if (key !== undefined && !isIdempotencyKey(key)) throw invalidIdempotencyKey();
      if (!isDecisionId(decisionId)) throw decisionNotFound();
      const { legalBasis, reason, note } = body ?? {};
      const command = new OverrideConsentCommand(
        actorOf(principal),
        decisionId,
        { legalBasis, reason, note },
        key,
      );
      const result = await this.commands.execute(command);
      if (!result.ok) throw problemOf(result);
      void reply.status(statusOf(result));
      return result.answer;
    }
  }
  return OverrideConsentHttpController;
}
