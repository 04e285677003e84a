import { Controller, Get, Param, Query as QueryParams } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Roles } from '@ruta/auth';
import { ApiProblems } from '@ruta/platform';
import { ListDisclosuresQuery, type DisclosurePage } from './disclosures.query';
import { DisclosuresPath, DisclosuresRequest } from './disclosures.request';

const PAGE_EXAMPLE: DisclosurePage = {
  items: [
    {
      kind: 'onward-referral',
      sector: 'health',
      fromSector: 'protection',
      referralId: '5d3c1e0a-7b2f-4c1d-9e8a-1f2b3c4d5e6f',
      referralType: 'mental-health',
      legalBasis: 'vital-interest',
      disclosedAt: '2026-11-29T09:00:00.000Z',
      eventId: '0b0a5c57-6f0e-4d43-9f51-3c1f1d8a2b10',
      position: '1041',
    },
  ],
  nextCursor: '1041',
};

/** Which sector received what about a person, when and on which legal basis, from the log alone. */
@ApiTags('audit')
@Controller('v1/audit/people')
export class DisclosuresHttpController {
  constructor(private readonly queries: QueryBus) {}

  @Get(':personId/disclosures')
  @Roles('auditor')
  @ApiOkResponse({
    description:
      'a page of the person’s disclosures in log order: referrals routed to a sector, consent overrides, onward ' +
      'referrals; `nextCursor` (absent on the last page) is passed as `after`',
    schema: { example: PAGE_EXAMPLE },
  })
  @ApiProblems('invalidRequest')
  list(@Param() { personId }: DisclosuresPath, @QueryParams() request: DisclosuresRequest): Promise<DisclosurePage> {
    return this.queries.execute(new ListDisclosuresQuery(personId, request.limit, request.after));
  }
}
