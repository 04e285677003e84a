import { Controller, Get, Query as QueryParams } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOkResponse } from '@nestjs/swagger';
import { ApiProblems } from '@ruta/platform';
import { ListAuditEventsQuery, type AuditPage } from './list-audit-events.query';
import { ListAuditEventsRequest } from './list-audit-events.request';

@Controller('v1/audit/events')
export class ListAuditEventsHttpController {
  constructor(private readonly queries: QueryBus) {}

  @Get()
  @ApiOkResponse({
    description: 'a page of the audit log for one subject; `next` is the cursor for `after`',
    schema: {
      example: { events: [{ position: '42', type: 'person.registered.v1', subject: 'p-7f3a9c2e41b8' }], next: '42' },
    },
  })
  @ApiProblems('invalidRequest')
  list(@QueryParams() request: ListAuditEventsRequest): Promise<AuditPage> {
    return this.queries.execute(new ListAuditEventsQuery(request.subject, request.limit, request.after));
  }
}
