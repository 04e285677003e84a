import { Controller, Get, Query as QueryParams } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOkResponse } from '@nestjs/swagger';
import { Roles } from '@ruta/auth';
import { ApiProblems } from '@ruta/platform';
import { ListAuditEventsQuery, type AuditPage } from './list-audit-events.query';
import { ListAuditEventsRequest } from './list-audit-events.request';

const AUDIT_PAGE_EXAMPLE = {
  items: [
    {
      seq: '42',
      topic: 'intake.events.v1',
      partition: 0,
      offset: '1042',
      receivedAt: '2026-11-20T14:05:01.000Z',
      event: { specversion: '1.0', id: 'evt-2026-11-20-0001', type: 'person.registered', subject: 'p-7f3a9c2e41b8' },
    },
  ],
  nextCursor: '42',
};

@Controller('v1/audit/events')
export class ListAuditEventsHttpController {
  constructor(private readonly queries: QueryBus) {}

  @Get()
  @Roles('auditor')
  @ApiOkResponse({
    description: 'a page of the audit log for one subject; `nextCursor` (absent on the last page) is passed as `after`',
    schema: { example: AUDIT_PAGE_EXAMPLE },
  })
  @ApiProblems('invalidRequest')
  list(@QueryParams() request: ListAuditEventsRequest): Promise<AuditPage> {
    return this.queries.execute(new ListAuditEventsQuery(request.subject, request.limit, request.after));
  }
}
