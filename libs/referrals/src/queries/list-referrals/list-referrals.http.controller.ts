import { Controller, Get, Query as QueryParams, type Type } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOkResponse } from '@nestjs/swagger';
import { ApiProblems } from '@ruta/platform';
import type { Sector } from '@ruta/contracts';
import { ListReferralsQuery, type ReferralPage } from './list-referrals.query';
import { ListReferralsRequest } from './list-referrals.request';

/** GET /v1/<sector>/referrals: the controller is made per sector so each serves its own path. */
export function listReferralsController(sector: Sector): Type<unknown> {
  @Controller(`v1/${sector}/referrals`)
  class ListReferralsHttpController {
    constructor(readonly queries: QueryBus) {}

    @Get()
    @ApiOkResponse({
      description: 'a page of referrals, oldest first; `next` is the cursor for `after`',
      schema: { example: REFERRAL_PAGE_EXAMPLE },
    })
    @ApiProblems('invalidRequest')
    list(@QueryParams() request: ListReferralsRequest): Promise<ReferralPage> {
      const { limit, after, ...filter } = request;
      return this.queries.execute(new ListReferralsQuery(filter, limit, after));
    }
  }
  return ListReferralsHttpController;
}

const REFERRAL_PAGE_EXAMPLE = {
  referrals: [
    {
      id: 'b7d1c2e0-3f4a-4c5b-9d6e-7f8a9b0c1d2e',
      personId: 'p-7f3a9c2e41b8',
      type: 'medical-care',
      priority: 'urgent',
      status: 'open',
      stationId: 'lajas-blancas',
    },
  ],
  next: 'eyJ0IjoiMjAyNi0xMS0yOVQwOTowMDowMFoifQ',
};
