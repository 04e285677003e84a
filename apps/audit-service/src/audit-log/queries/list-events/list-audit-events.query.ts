import { Query } from '@nestjs/cqrs';

export interface AuditEntry {
  seq: string;
  topic: string;
  partition: number;
  offset: string;
  receivedAt: string;
  event: Record<string, unknown>;
}

export interface AuditPage {
  items: AuditEntry[];
  /** Pass as `after` for the next page; absent on the last page. */
  nextCursor?: string;
}

export class ListAuditEventsQuery extends Query<AuditPage> {
  constructor(
    readonly subject: string,
    readonly limit: number,
    readonly after?: string,
  ) {
    super();
  }
}
