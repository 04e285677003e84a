import { Controller, Get, Query as QueryParams, type Type } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOkResponse } from '@nestjs/swagger';
import { Roles, SectorScope } from '@ruta/auth';
import { ApiProblems } from '@ruta/platform';
import type { Sector } from '@ruta/contracts';
import { ListDecisionsQuery, type DecisionPage } from './list-decisions.query';
import { ListDecisionsRequest } from './list-decisions.request';

const DECISION_PAGE_EXAMPLE = {
  items: [
    {
      decisionId: '4182',
      rule: 'medical-care',
      ruleSetVersion: 'default-v1',
      outcome: 'referred',
      reason: null,
      legalBasis: 'consent',
      inputs: { pregnant: true },
      eventId: 'evt-2026-11-20-0002',
      referralId: 'b7d1c2e0-3f4a-4c5b-9d6e-7f8a9b0c1d2e',
      decidedAt: '2026-11-20T14:06:00.000Z',
    },
  ],
};

/**
 * GET /v1/<sector>/decisions?personId=: the controller is made per sector so each serves its own path.
 * Sector-level: any caseworker or supervisor of that sector; another sector's get 404.
 */
export function listDecisionsController(sector: Sector): Type<unknown> {
  @Controller(`v1/${sector}/decisions`)
  @Roles('caseworker', 'supervisor')
  @SectorScope(sector)
  class ListDecisionsHttpController {
    constructor(readonly queries: QueryBus) {}

    @Get()
    @ApiOkResponse({
      description:
        "a page of one person's routing decisions; `nextCursor` (absent on the last page) is passed as `after`",
      schema: { example: DECISION_PAGE_EXAMPLE },
    })
    @ApiProblems('invalidRequest')
    list(@QueryParams() { personId, limit, after }: ListDecisionsRequest): Promise<DecisionPage> {
      return this.queries.execute(new ListDecisionsQuery(personId, limit, after));
    }
  }
  return ListDecisionsHttpController;
}
