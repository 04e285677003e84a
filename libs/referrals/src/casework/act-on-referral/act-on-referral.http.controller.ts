import { Body, Controller, Param, Post, Req, Res, type Type } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBody, ApiHeader, ApiOkResponse, ApiResponse } from '@nestjs/swagger';
import { CurrentPrincipal, Roles, type Principal, SectorScope } from '@ruta/auth';
import type { Sector } from '@ruta/contracts';
import { ApiProblems, PROBLEM_SCHEMA } from '@ruta/platform';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { LifecycleCommandKind } from '../../domain/lifecycle';
import { idempotencyKeyMalformed, ifMatchMalformed, ifMatchRequired, send } from '../casework-answers';
import { readIfMatch } from '../http-preconditions';
import { ApiIdempotencyKey, idempotencyOf } from '../idempotency';
import { ActOnReferralCommand, type CaseworkInput } from './act-on-referral.command';
import {
  AssignRequest,
  CompleteRequest,
  NoDataRequest,
  ReasonRequest,
  ReferOnwardRequest,
  TransferRequest,
} from './act-on-referral.request';

/**
 * The referral id in a custom-method path (AIP-136, as the gateway's `events:batch`): Fastify's
 * router reads a literal ":" written "::", and a parameter followed by one needs a pattern to end.
 */
export const REFERRAL_ID_PARAM = ':id(^[0-9a-fA-F-]{1,36})';
const route = (verb: string) => `${REFERRAL_ID_PARAM}::${verb}`;

const problem = (status: number, description: string) =>
  ApiResponse({ status, description, content: { 'application/problem+json': { schema: PROBLEM_SCHEMA as never } } });

/** The answers every casework command documents beside 200. */
function ApiCasework(kind: LifecycleCommandKind, body: Type<unknown>): MethodDecorator {
  return (target, key, descriptor) => {
    const decorators: MethodDecorator[] = [
      ApiBody({ type: body, required: false }),
      ApiHeader({ name: 'If-Match', required: true, description: 'the ETag of the version the change is made on' }),
      ApiIdempotencyKey(),
      ApiOkResponse({ description: `the referral after ${kind}, with its new ETag` }),
      ApiProblems('invalidRequest'),
      problem(
        403,
        'urn:ruta:problem:referral.forbidden (REFERRAL.FORBIDDEN): the role or the holder does not allow it',
      ),
      problem(404, "urn:ruta:problem:referral.not-found: no such referral in the caller's scope"),
      problem(409, 'REFERRAL.INVALID_TRANSITION or REFERRAL.ALREADY_ASSIGNED'),
      problem(412, 'urn:ruta:problem:referral.stale-version: If-Match names another version'),
      problem(
        422,
        'a data refusal naming its field (REFERRAL.UNKNOWN_REASON, ...), or REQUEST.IDEMPOTENCY_KEY_REUSED naming Idempotency-Key',
      ),
      problem(428, 'If-Match is missing'),
      problem(
        503,
        'urn:ruta:problem:notes-unavailable: a note, and this service has no RUTA_IDENTIFIERS_KEY to seal it',
      ),
    ];
    for (const decorate of decorators) decorate(target, key, descriptor);
  };
}

/** POST /v1/<sector>/referrals/{id}:<command>: one route per lifecycle command, made per sector. */
export function actOnReferralController(sector: Sector): Type<unknown> {
  @Controller(`v1/${sector}/referrals`)
  @SectorScope(sector)
  @Roles('caseworker', 'supervisor')
  class ActOnReferralHttpController {
    constructor(readonly commands: CommandBus) {}

    @Post(route('accept'))
    @ApiCasework('accept', NoDataRequest)
    accept(
      @Param('id') id: string,
      @Body() body: NoDataRequest,
      @CurrentPrincipal() p: Principal,
      @Req() q: FastifyRequest,
      @Res() r: FastifyReply,
    ) {
      return this.run('accept', id, body, p, q, r);
    }

    @Post(route('reject'))
    @ApiCasework('reject', ReasonRequest)
    reject(
      @Param('id') id: string,
      @Body() body: ReasonRequest,
      @CurrentPrincipal() p: Principal,
      @Req() q: FastifyRequest,
      @Res() r: FastifyReply,
    ) {
      return this.run('reject', id, body, p, q, r);
    }

    @Post(route('cancel'))
    @ApiCasework('cancel', ReasonRequest)
    cancel(
      @Param('id') id: string,
      @Body() body: ReasonRequest,
      @CurrentPrincipal() p: Principal,
      @Req() q: FastifyRequest,
      @Res() r: FastifyReply,
    ) {
      return this.run('cancel', id, body, p, q, r);
    }

    @Post(route('start'))
    @ApiCasework('start', NoDataRequest)
    start(
      @Param('id') id: string,
      @Body() body: NoDataRequest,
      @CurrentPrincipal() p: Principal,
      @Req() q: FastifyRequest,
      @Res() r: FastifyReply,
    ) {
      return this.run('start', id, body, p, q, r);
    }

    @Post(route('hold'))
    @ApiCasework('hold', ReasonRequest)
    hold(
      @Param('id') id: string,
      @Body() body: ReasonRequest,
      @CurrentPrincipal() p: Principal,
      @Req() q: FastifyRequest,
      @Res() r: FastifyReply,
    ) {
      return this.run('hold', id, body, p, q, r);
    }

    @Post(route('resume'))
    @ApiCasework('resume', NoDataRequest)
    resume(
      @Param('id') id: string,
      @Body() body: NoDataRequest,
      @CurrentPrincipal() p: Principal,
      @Req() q: FastifyRequest,
      @Res() r: FastifyReply,
    ) {
      return this.run('resume', id, body, p, q, r);
    }

    @Post(route('complete'))
    @ApiCasework('complete', CompleteRequest)
    complete(
      @Param('id') id: string,
      @Body() body: CompleteRequest,
      @CurrentPrincipal() p: Principal,
      @Req() q: FastifyRequest,
      @Res() r: FastifyReply,
    ) {
      return this.run('complete', id, body, p, q, r);
    }

    @Post(route('fail'))
    @ApiCasework('fail', ReasonRequest)
    fail(
      @Param('id') id: string,
      @Body() body: ReasonRequest,
      @CurrentPrincipal() p: Principal,
      @Req() q: FastifyRequest,
      @Res() r: FastifyReply,
    ) {
      return this.run('fail', id, body, p, q, r);
    }

    @Post(route('assign'))
    @ApiCasework('assign', AssignRequest)
    assign(
      @Param('id') id: string,
      @Body() body: AssignRequest,
      @CurrentPrincipal() p: Principal,
      @Req() q: FastifyRequest,
      @Res() r: FastifyReply,
    ) {
      return this.run('assign', id, body, p, q, r);
    }

    @Post(route('reassign'))
    @ApiCasework('reassign', AssignRequest)
    reassign(
      @Param('id') id: string,
      @Body() body: AssignRequest,
      @CurrentPrincipal() p: Principal,
      @Req() q: FastifyRequest,
      @Res() r: FastifyReply,
    ) {
      return this.run('reassign', id, body, p, q, r);
    }

    @Post(route('transfer'))
    @ApiCasework('transfer', TransferRequest)
    transfer(
      @Param('id') id: string,
      @Body() body: TransferRequest,
      @CurrentPrincipal() p: Principal,
      @Req() q: FastifyRequest,
      @Res() r: FastifyReply,
    ) {
      return this.run('transfer', id, body, p, q, r);
    }

    @Post(route('refer-onward'))
    @ApiCasework('refer-onward', ReferOnwardRequest)
    referOnward(
      @Param('id') id: string,
      @Body() body: ReferOnwardRequest,
      @CurrentPrincipal() p: Principal,
      @Req() q: FastifyRequest,
      @Res() r: FastifyReply,
    ) {
      return this.run('refer-onward', id, body, p, q, r);
    }

    /**
     * Headers first (they cost nothing and reveal nothing): If-Match is required (428) and must be
     * entity tags (400); an Idempotency-Key must be printable ASCII (400). Then the command.
     */
    async run(
      kind: LifecycleCommandKind,
      id: string,
      body: object,
      principal: Principal,
      request: FastifyRequest,
      reply: FastifyReply,
    ): Promise<void> {
      const ifMatch = readIfMatch(request.headers['if-match']);
      if (ifMatch.kind === 'missing') return send(reply, ifMatchRequired());
      if (ifMatch.kind === 'malformed') return send(reply, ifMatchMalformed());
      const input = { ...body } as CaseworkInput;
      const key = idempotencyOf(request, input);
      if (key.kind === 'malformed') return send(reply, idempotencyKeyMalformed());
      const idempotency = key.kind === 'key' ? { key: key.key, digest: key.digest } : undefined;
      const answer = await this.commands.execute(
        new ActOnReferralCommand(principal, id.toLowerCase(), kind, input, ifMatch.versions, idempotency),
      );
      send(reply, answer);
    }
  }
  return ActOnReferralHttpController;
}
