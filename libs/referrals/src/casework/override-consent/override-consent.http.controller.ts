import { Body, Controller, Headers, Param, Post, Res, type Type } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiHeader, ApiResponse } from '@nestjs/swagger';
import { CurrentPrincipal, Roles, type Principal } from '@ruta/auth';
import type { Sector } from '@ruta/contracts';
import { ApiProblems } from '@ruta/platform';
import type { FastifyReply } from 'fastify';
import { actorOfPrincipal } from './actor-of-principal';
import { OverrideConsentCommand, type OverrideConsentAnswer } from './override-consent.command';
import { decisionNotFound, problemOf, statusOf } from './override-consent.problems';
import { OverrideConsentRequest } from './override-consent.request';
import { invalidIdempotencyKey, isDecisionId, isIdempotencyKey } from './override-consent.http-input';

const ANSWER_EXAMPLE: OverrideConsentAnswer = {
  decisionId: '4182',
  overrideDecisionId: '4190',
  referralId: 'b7d1c2e0-3f4a-4c5b-9d6e-7f8a9b0c1d2e',
  referralType: 'international-protection',
  priority: 'urgent',
  servicePointId: 'protection-lajas-blancas',
  legalBasis: 'vital-interest',
  reason: 'vital-interest-emergency',
  overriddenAt: '2026-11-29T09:00:00.000Z',
};

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
    @ApiHeader({ name: 'Idempotency-Key', required: false, description: 'the same key and body answer the same again' })
    @ApiResponse({ status: 201, description: 'overridden: the referral was made', schema: { example: ANSWER_EXAMPLE } })
    @ApiResponse({ status: 200, description: 'overridden before: nothing changed, the same answer' })
    @ApiResponse({ status: 403, description: 'the caller is not a supervisor' })
    @ApiResponse({ status: 404, description: "no such decision in this sector (another sector's is not confirmed)" })
    @ApiResponse({
      status: 409,
      description: 'DECISION.NOT_DEFERRED, DECISION.OVERRIDE_NOT_PERMITTED (gbv-case-management)',
    })
    @ApiResponse({
      status: 422,
      description:
        'DECISION.CONSENT_IS_NOT_A_BASIS, REFERRAL.LEGAL_BASIS_REQUIRED, REFERRAL.REASON_REQUIRED, ' +
        'REFERRAL.UNKNOWN_REASON, REFERRAL.NOTE_REQUIRED, REFERRAL.NOTE_TOO_LONG, IDEMPOTENCY.KEY_REUSED; `errors` names the field',
    })
    @ApiProblems('invalidRequest')
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
        actorOfPrincipal(principal),
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
