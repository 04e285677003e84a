import { Controller, Get, Param, Res, type Type } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOkResponse, ApiResponse } from '@nestjs/swagger';
import { CurrentPrincipal, Roles, type Principal, SectorScope } from '@ruta/auth';
import type { Sector } from '@ruta/contracts';
import { PROBLEM_SCHEMA } from '@ruta/platform';
import type { FastifyReply } from 'fastify';
import { send } from '../casework-answers';
import { ShowReferralQuery } from './show-referral.query';

const REFERRAL_EXAMPLE = {
  id: 'b7d1c2e0-3f4a-4c5b-9d6e-7f8a9b0c1d2e',
  personId: 'p-7f3a9c2e41b8',
  sector: 'health',
  type: 'medical-care',
  priority: 'urgent',
  status: 'on-hold',
  servicePointId: 'health-lajas-blancas',
  stationId: 'lajas-blancas',
  legalBasis: 'consent',
  ruleSetVersion: 'default-v1',
  decisionInputs: { pregnant: true },
  sourceEventId: 'evt-2026-11-20-0002',
  assignee: 'cw-ana',
  hold: { code: 'awaiting-documents', note: null },
  outcome: null,
  closeReason: null,
  createdAt: '2026-11-20T14:06:00.000000Z',
  acknowledgedAt: '2026-11-20T15:00:00.000000Z',
  acceptedAt: '2026-11-20T15:00:00.000000Z',
  startedAt: '2026-11-21T09:00:00.000000Z',
  closedAt: null,
  finishedAt: null,
  updatedAt: '2026-11-21T10:00:00.000000Z',
  version: 4,
  timeline: [
    { version: 1, type: 'referral.requested', actor: 'system:health-routing', at: '2026-11-20T14:06:00.000000Z' },
    { version: 2, type: 'referral.accepted', actor: 'cw-ana', at: '2026-11-20T15:00:00.000000Z', assignee: 'cw-ana' },
    { version: 3, type: 'referral.started', actor: 'cw-ana', at: '2026-11-21T09:00:00.000000Z' },
    {
      version: 4,
      type: 'referral.put-on-hold',
      actor: 'cw-ana',
      at: '2026-11-21T10:00:00.000000Z',
      reason: { code: 'awaiting-documents', note: null },
    },
  ],
};

/** GET /v1/<sector>/referrals/{id}, made per sector like the list. */
export function showReferralController(sector: Sector): Type<unknown> {
  @Controller(`v1/${sector}/referrals`)
  @SectorScope(sector)
  class ShowReferralHttpController {
    constructor(readonly queries: QueryBus) {}

    @Get(':id')
    @Roles('caseworker', 'supervisor')
    @ApiOkResponse({
      description:
        'the referral, its lifecycle and its timeline; ETag `"<version>"` for If-Match. Notes are opened for the ' +
        'caller; an erased person\'s read `"note": null, "noteErased": true`',
      schema: { example: REFERRAL_EXAMPLE },
    })
    @ApiResponse({
      status: 404,
      description: "urn:ruta:problem:referral.not-found: no such referral in the caller's scope",
      content: { 'application/problem+json': { schema: PROBLEM_SCHEMA as never } },
    })
    @ApiResponse({
      status: 503,
      description:
        'urn:ruta:problem:notes-unavailable: sealed notes, and this service has no RUTA_IDENTIFIERS_KEY to open them',
      content: { 'application/problem+json': { schema: PROBLEM_SCHEMA as never } },
    })
    async show(
      @Param('id') id: string,
      @CurrentPrincipal() principal: Principal,
      @Res() reply: FastifyReply,
    ): Promise<void> {
      send(reply, await this.queries.execute(new ShowReferralQuery(principal, id.toLowerCase())));
    }
  }
  return ShowReferralHttpController;
}
