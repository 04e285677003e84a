import { Controller, Get, NotFoundException, Query as QueryParams, type Type } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOkResponse } from '@nestjs/swagger';
import { CurrentPrincipal, Roles, type Principal, SectorScope } from '@ruta/auth';
import type { Sector } from '@ruta/contracts';
import { ApiProblems } from '@ruta/platform';
import { listScope } from '../casework-scope';
import type { ReferralPage } from '../list-referrals/list-referrals.query';
import { CASEWORK_PAGE_EXAMPLE } from '../referral-page.example';
import { ListMyReferralsQuery } from './list-my-referrals.query';
import { ListMyReferralsRequest } from './list-my-referrals.request';

/** GET /v1/<sector>/my-referrals: made per sector so each serves its own path. */
export function listMyReferralsController(sector: Sector): Type<unknown> {
  @Controller(`v1/${sector}/my-referrals`)
  @SectorScope(sector)
  class ListMyReferralsHttpController {
    constructor(readonly queries: QueryBus) {}

    @Get()
    @Roles('caseworker', 'supervisor')
    @ApiOkResponse({
      description:
        'the referrals assigned to the caller (open ones unless `status` is given), oldest first; ' +
        "a caseworker's only at their service point; `nextCursor` is passed as `after`",
      schema: { example: CASEWORK_PAGE_EXAMPLE },
    })
    @ApiProblems('invalidRequest', 'notFound')
    list(@CurrentPrincipal() caller: Principal, @QueryParams() request: ListMyReferralsRequest): Promise<ReferralPage> {
      const scope = listScope(caller, sector);
      if (!scope) throw new NotFoundException();
      return this.queries.execute(
        new ListMyReferralsQuery(caller.subject, scope, request.status, request.limit, request.after),
      );
    }
  }
  return ListMyReferralsHttpController;
}
