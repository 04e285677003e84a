import { Controller, Get, Query as QueryParams, type Type } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOkResponse } from '@nestjs/swagger';
import { ApiProblems } from '@ruta/platform';
import type { Sector } from '@ruta/contracts';
import { ListDecisionsQuery, type DecisionPage } from './list-decisions.query';
import { ListDecisionsRequest } from './list-decisions.request';

/** GET /v1/<sector>/decisions?personId=: the controller is made per sector so each serves its own path. */
export function listDecisionsController(sector: Sector): Type<unknown> {
  @Controller(`v1/${sector}/decisions`)
  class ListDecisionsHttpController {
    constructor(readonly queries: QueryBus) {}

    @Get()
    @ApiOkResponse({
      description: "a page of one person's routing decisions; `next` is the cursor for `after`",
      schema: { example: { decisions: [{ type: 'medical-care', outcome: 'referred' }], next: null } },
    })
    @ApiProblems('invalidRequest')
    list(@QueryParams() { personId, limit, after }: ListDecisionsRequest): Promise<DecisionPage> {
      return this.queries.execute(new ListDecisionsQuery(personId, limit, after));
    }
  }
  return ListDecisionsHttpController;
}
