import { Controller, Get, Query as QueryParams, type Type } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import type { Sector } from '@ruta/contracts';
import { ListReferralsQuery, type ReferralPage } from './list-referrals.query';
import { ListReferralsRequest } from './list-referrals.request';

/** GET /v1/<sector>/referrals: the controller is made per sector so each serves its own path. */
export function listReferralsController(sector: Sector): Type<unknown> {
  @Controller(`v1/${sector}/referrals`)
  class ListReferralsHttpController {
    constructor(readonly queries: QueryBus) {}

    @Get()
    list(@QueryParams() request: ListReferralsRequest): Promise<ReferralPage> {
      const { limit, after, ...filter } = request;
      return this.queries.execute(new ListReferralsQuery(filter, limit, after));
    }
  }
  return ListReferralsHttpController;
}
