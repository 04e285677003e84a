import { Controller, Get, NotFoundException, Query as QueryParams, type Type } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOkResponse } from '@nestjs/swagger';
import { CurrentPrincipal, Roles, type Principal, SectorScope } from '@ruta/auth';
import type { Sector } from '@ruta/contracts';
import { ApiProblems } from '@ruta/platform';
import { listScope } from '../casework-scope';
import type { ReferralPage } from '../list-referrals/list-referrals.query';
import { CASEWORK_PAGE_EXAMPLE } from '../referral-page.example';
import { ListQueueQuery } from './list-queue.query';
import { ListQueueRequest } from './list-queue.request';

/** GET /v1/<sector>/queue: made per sector so each serves its own path. */
export function listQueueController(sector: Sector): Type<unknown> {
  @Controller(`v1/${sector}/queue`)
  @SectorScope(sector)
  class ListQueueHttpController {
    constructor(readonly queries: QueryBus) {}

    @Get()
    @Roles('caseworker', 'supervisor')
    @ApiOkResponse({
      description:
        "open referrals of the caller's service point (a supervisor's: every point, or `servicePointId`), " +
        'emergency first, then urgent, then routine, oldest first within each; `nextCursor` is passed as `after`',
      schema: { example: CASEWORK_PAGE_EXAMPLE },
    })
    @ApiProblems('invalidRequest', 'notFound')
    list(@CurrentPrincipal() caller: Principal, @QueryParams() request: ListQueueRequest): Promise<ReferralPage> {
      const { servicePointId, limit, after, ...filter } = request;
      const scope = listScope(caller, sector, servicePointId);
      if (!scope) throw new NotFoundException();
      return this.queries.execute(new ListQueueQuery(scope, filter, limit, after));
    }
  }
  return ListQueueHttpController;
}
