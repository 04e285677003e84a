import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AUDIT_SCHEMA } from '../../audit.constants';
import { ListAuditEventsQuery, type AuditEntry, type AuditPage } from './list-audit-events.query';

/** A person's events in the order the audit log received them. */
@QueryHandler(ListAuditEventsQuery)
export class ListAuditEventsHandler implements IQueryHandler<ListAuditEventsQuery> {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async execute({ subject, limit, after }: ListAuditEventsQuery): Promise<AuditPage> {
    const rows: AuditEntry[] = await this.dataSource.query(
      `SELECT seq::text AS seq, topic, partition, kafka_offset::text AS "offset", payload AS event,
              to_char(received_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS "receivedAt"
       FROM ${AUDIT_SCHEMA}.audit_log
       WHERE subject = $1 AND seq > $2::bigint
       ORDER BY audit_log.seq LIMIT $3`,
      [subject, after ?? '0', limit + 1],
    );
    const items = rows.slice(0, limit);
    return rows.length > limit ? { items, nextCursor: items[items.length - 1]!.seq } : { items };
  }
}
