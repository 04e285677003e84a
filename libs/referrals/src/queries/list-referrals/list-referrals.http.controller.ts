import { Controller, Get, Query as QueryParams, type Type } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOkResponse } from '@nestjs/swagger';
import { caseworkScope, CurrentPrincipal, Roles, SectorScope, type Principal } from '@ruta/auth';
import { ApiProblems } from '@ruta/platform';
import type { Sector } from '@ruta/contracts';
import { ListReferralsQuery, type ReferralPage } from './list-referrals.query';
import { ListReferralsRequest } from './list-referrals.request';

const REFERRAL_PAGE_EXAMPLE = {
  items: [
    {
      id: 'b7d1c2e0-3f4a-4c5b-9d6e-7f8a9b0c1d2e',
      personId: 'p-7f3a9c2e41b8',
      sector: 'health',
      type: 'medical-care',
      priority: 'urgent',
      status: 'requested',
      servicePointId: 'health-lajas-blancas',
      stationId: 'lajas-blancas',
      legalBasis: 'consent',
      ruleSetVersion: 'default-v1',
      decisionInputs: { pregnant: true },
      sourceEventId: 'evt-2026-11-20-0002',
      createdAt: '2026-11-20T14:06:00.000Z',
      cancellationReason: null,
      assignee: null,
      updatedAt: '2026-11-20T14:06:00.000Z',
      sla: { acknowledgeBy: '2026-11-21T14:06:00.000000Z', completeBy: '2026-11-23T14:06:00.000000Z', overdue: null },
    },
  ],
  nextCursor: 'eyJ0IjoiMjAyNi0xMS0yMFQxNDowNjowMFoifQ',
};

/**
 * GET /v1/<sector>/referrals: the controller is made per sector so each serves its own path.
 * Caseworkers and supervisors of that sector only (another sector's: 404); a caseworker sees the
 * referrals of their own service point, a supervisor those of every service point of the sector.
 */
export function listReferralsController(sector: Sector): Type<unknown> {
  @Controller(`v1/${sector}/referrals`)
  @Roles('caseworker', 'supervisor')
  @SectorScope(sector)
  class ListReferralsHttpController {
    constructor(readonly queries: QueryBus) {}

    @Get()
    @ApiOkResponse({
      description: 'a page of referrals; `nextCursor` (absent on the last page) is passed as `after`',
      schema: { example: REFERRAL_PAGE_EXAMPLE },
    })
    @ApiProblems('invalidRequest')
    async list(
      @QueryParams() request: ListReferralsRequest,
      @CurrentPrincipal() principal: Principal,
    ): Promise<ReferralPage> {
      const { limit, after, ...filter } = request;
      const scope = caseworkScope(principal);
      // A caseworker without a service point in their token sees no referral.
      if (!scope) return { items: [] };
      return this.queries.execute(new ListReferralsQuery(filter, limit, after, scope));
    }
  }
  return ListReferralsHttpController;
}
