import { Controller, Get, NotFoundException, Param, type Type } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOkResponse } from '@nestjs/swagger';
import { CurrentPrincipal, Roles, type Principal, SectorScope } from '@ruta/auth';
import type { Sector } from '@ruta/contracts';
import { ApiProblems } from '@ruta/platform';
import { listScope } from '../casework-scope';
import { CASEWORK_PAGE_EXAMPLE } from '../referral-page.example';
import { GetPersonQuery, type PersonCaseView } from './get-person.query';
import { GetPersonParams } from './get-person.request';

const PERSON_EXAMPLE = {
  personId: 'p-7f3a9c2e41b8',
  facts: {
    age: 29,
    sex: 'female',
    nationality: 'VEN',
    languages: ['es'],
    stationId: 'lajas-blancas',
    householdSize: 3,
    indicators: { pregnant: true },
    incidents: { critical: false, urgent: true },
    consent: { informationSharing: 'granted', sectors: ['health'], byGuardian: false },
  },
  referrals: CASEWORK_PAGE_EXAMPLE.items,
  decisions: [
    {
      rule: 'emergency-care',
      ruleSetVersion: 'default-v1',
      outcome: 'referred',
      reason: null,
      legalBasis: 'vital-interest',
      inputs: { critical: true },
      eventId: 'evt-2026-11-20-0002',
      referralId: 'b7d1c2e0-3f4a-4c5b-9d6e-7f8a9b0c1d2e',
      decidedAt: '2026-11-20T14:06:00.000000Z',
    },
  ],
};

/** GET /v1/<sector>/people/{personId}: made per sector so each serves its own path. */
export function getPersonController(sector: Sector): Type<unknown> {
  @Controller(`v1/${sector}/people`)
  @SectorScope(sector)
  class GetPersonHttpController {
    constructor(readonly queries: QueryBus) {}

    @Get(':personId')
    @Roles('caseworker', 'supervisor')
    @ApiOkResponse({
      description:
        "what this sector keeps of the person (never a birth date or an identifier), the caller's visible referrals " +
        'of the person (newest 100) and their decisions (newest 200); 404 when the caller sees no referral of the ' +
        'person and the sector keeps no view of them',
      schema: { example: PERSON_EXAMPLE },
    })
    @ApiProblems('invalidRequest', 'notFound')
    async get(@CurrentPrincipal() caller: Principal, @Param() { personId }: GetPersonParams): Promise<PersonCaseView> {
      const scope = listScope(caller, sector);
      const view = scope && (await this.queries.execute(new GetPersonQuery(personId, scope)));
      if (!view) throw new NotFoundException();
      return view;
    }
  }
  return GetPersonHttpController;
}
