import { Controller, Get, NotFoundException, Query as QueryParams, type Type } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOkResponse } from '@nestjs/swagger';
import { CurrentPrincipal, Roles, type Principal, SectorScope } from '@ruta/auth';
import type { Sector } from '@ruta/contracts';
import { ApiProblems } from '@ruta/platform';
import { listScope } from '../casework-scope';
import type { ReferralPage } from '../list-referrals/list-referrals.query';
import { CASEWORK_PAGE_EXAMPLE } from '../referral-page.example';
import { ListOverdueReferralsQuery } from './list-overdue-referrals.query';
import { ListOverdueReferralsRequest } from './list-overdue-referrals.request';

/** GET /v1/<sector>/overdue-referrals: made per sector so each serves its own path. */
export function listOverdueReferralsController(sector: Sector): Type<unknown> {
  @Controller(`v1/${sector}/overdue-referrals`)
  @SectorScope(sector)
  class ListOverdueReferralsHttpController {
    constructor(readonly queries: QueryBus) {}

    @Get()
    @Roles('supervisor')
    @ApiOkResponse({
      description:
        'referrals of every service point of the sector (or `servicePointId`) past an SLA deadline still ' +
        'running, the one whose earliest missed deadline passed first at the top; `nextCursor` is passed as `after`',
      schema: { example: CASEWORK_PAGE_EXAMPLE },
    })
    @ApiProblems('invalidRequest', 'notFound')
    list(
      @CurrentPrincipal() caller: Principal,
      @QueryParams() request: ListOverdueReferralsRequest,
    ): Promise<ReferralPage> {
      const scope = listScope(caller, sector, request.servicePointId);
      if (!scope) throw new NotFoundException();
      return this.queries.execute(new ListOverdueReferralsQuery(scope, request.limit, request.after));
    }
  }
  return ListOverdueReferralsHttpController;
}
