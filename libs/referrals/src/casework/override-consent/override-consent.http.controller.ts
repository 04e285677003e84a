import { Body, Controller, Param, Post, Req, Res, type Type } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { CurrentPrincipal, Roles, type Principal, SectorScope } from '@ruta/auth';
import type { Sector } from '@ruta/contracts';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { actorOf } from '../actor-of';
import { idempotencyKeyMalformed, notFound, send } from '../casework-answers';
import { idempotencyOf } from '../idempotency';
import { ApiOverrideConsent } from './override-consent.openapi';
import { OverrideConsentCommand } from './override-consent.command';
import { OverrideConsentRequest } from './override-consent.request';

const MAX_BIGINT = 9223372036854775807n;

/** A decisions.id as PostgreSQL hands it out: a positive bigint. Anything else names no decision. */
export const isDecisionId = (id: string) => /^[1-9]\d{0,18}$/.test(id) && BigInt(id) <= MAX_BIGINT;

/** POST /v1/<sector>/decisions/{decisionId}:override-consent, made per sector like the decisions list. */
export function overrideConsentController(sector: Sector): Type<unknown> {
  @Controller(`v1/${sector}/decisions`)
  @SectorScope(sector)
  class OverrideConsentHttpController {
    constructor(readonly commands: CommandBus) {}

    /**
     * A supervisor of this sector turns a decision deferred for want of consent into a referral,
     * with a legal basis other than consent and a reason code. Fastify writes the literal ":" as "::",
     * and a parameter followed by one needs a pattern to end it (else its name swallows "::override"):
     * a wide one, so an id that is no decision id gets casework's own 404, not the router's.
     */
    @Post(':decisionId(^[0-9A-Za-z-]{1,36})::override-consent')
    @Roles('supervisor')
    @ApiOverrideConsent()
    async override(
      @Param('decisionId') decisionId: string,
      @Body() body: OverrideConsentRequest,
      @CurrentPrincipal() principal: Principal,
      @Req() request: FastifyRequest,
      @Res() reply: FastifyReply,
    ): Promise<void> {
      const { legalBasis, reason, note } = body ?? {};
      const input = { legalBasis, reason, note };
      const key = idempotencyOf(request, input);
      if (key.kind === 'malformed') return send(reply, idempotencyKeyMalformed());
      if (!isDecisionId(decisionId)) return send(reply, notFound());
      const idempotency = key.kind === 'key' ? { key: key.key, digest: key.digest } : undefined;
      send(
        reply,
        await this.commands.execute(new OverrideConsentCommand(actorOf(principal), decisionId, input, idempotency)),
      );
    }
  }
  return OverrideConsentHttpController;
}
