import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { InjectDataSource } from '@nestjs/typeorm';
import { AUDIT_ACCESSED } from '@ruta/contracts';
import { DataSource } from 'typeorm';
import { AUDIT_SCHEMA } from '../../audit.constants';
import { ListAuditEventsQuery, type AuditEntry, type AuditPage } from './list-audit-events.query';

/**
 * A person's events in log order (their positions in the audit log). The log's own audit.accessed
 * entries are left out, as before they existed: paging a person's events must not page through the
 * reads that paging makes (the history shows them on request).
 */
@QueryHandler(ListAuditEventsQuery)
export class ListAuditEventsHandler implements IQueryHandler<ListAuditEventsQuery> {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async execute({ subject, limit, after }: ListAuditEventsQuery): Promise<AuditPage> {
    const rows: (Omit<AuditEntry, 'event'> & { bytes: Buffer })[] = await this.dataSource.query(
      `SELECT position::text AS seq, topic, partition, kafka_offset::text AS "offset", bytes,
              to_char(appended_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "receivedAt"
       FROM ${AUDIT_SCHEMA}.log
       WHERE subject = $1 AND position > $2::bigint AND type <> $4
       ORDER BY position LIMIT $3`,
      [subject, after ?? '-1', limit + 1, AUDIT_ACCESSED],
    );
    // The log holds the bytes that were on the wire; what the auditor reads is the event they carry.
    const items = rows
      .slice(0, limit)
      .map(({ bytes, ...entry }) => ({ ...entry, event: JSON.parse(bytes.toString('utf8')) }));
    return rows.length > limit ? { items, nextCursor: items[items.length - 1]!.seq } : { items };
  }
}
