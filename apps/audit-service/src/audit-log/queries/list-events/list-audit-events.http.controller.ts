import { Controller, Get, Query as QueryParams } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ListAuditEventsQuery, type AuditPage } from './list-audit-events.query';
import { ListAuditEventsRequest } from './list-audit-events.request';

@Controller('v1/audit/events')
export class ListAuditEventsHttpController {
  constructor(private readonly queries: QueryBus) {}

  @Get()
  list(@QueryParams() request: ListAuditEventsRequest): Promise<AuditPage> {
    return this.queries.execute(new ListAuditEventsQuery(request.subject, request.limit, request.after));
  }
}
