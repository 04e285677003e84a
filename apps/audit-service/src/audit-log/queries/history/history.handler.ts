import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { InjectDataSource } from '@nestjs/typeorm';
import { AUDIT_ACCESSED } from '@ruta/contracts';
import { DataSource } from 'typeorm';
import { AUDIT_SCHEMA } from '../../audit.constants';
import { entryOfRow, LOG_ROW_COLUMNS, type LogRow } from '../../log/log-appender';
import { HistoryQuery, type HistoryEntry, type HistoryFilter, type HistoryLine } from './history.query';

/** Rows per SQL query: the answer holds at most one page in memory, whatever its limit. */
const PAGE_ROWS = 500;

/** The WHERE clause of a filter (columns fixed here, values as parameters $1 and $2). */
function whereOf(filter: HistoryFilter): { sql: string; values: unknown[] } {
  switch (filter.kind) {
    case 'person':
      return { sql: 'subject = $1', values: [filter.personId] };
    case 'referral':
      return { sql: 'referral_id = $1', values: [filter.referralId] };
    case 'service-point':
      return { sql: 'service_point_id = $1', values: [filter.servicePointId] };
    case 'range':
      return { sql: 'appended_at >= $1 AND appended_at < $2', values: [filter.from, filter.to] };
  }
}

/** A log row as the auditor reads it: the bytes that were on the wire, parsed back into the event they carry. */
function historyEntryOf(row: LogRow): HistoryEntry {
  const { bytes, ...entry } = entryOfRow(row);
  return { ...entry, event: JSON.parse(bytes.toString('utf8')) };
}

/**
 * Reads the filter's entries in position order, one keyset page per query, as the answer is
 * consumed: no transaction stays open between pages, and positions are gapless and committed in
 * order (the appender's head lock), so no page can skip an entry a later page would miss.
 */
@QueryHandler(HistoryQuery)
export class HistoryHandler implements IQueryHandler<HistoryQuery> {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async execute(query: HistoryQuery): Promise<AsyncIterable<HistoryLine>> {
    return this.lines(query);
  }

  private async *lines({ filter, limit, after, includeAccesses }: HistoryQuery): AsyncGenerator<HistoryLine> {
    const where = whereOf(filter);
    const n = where.values.length;
    const accesses = includeAccesses ? '' : `AND type <> $${n + 3}`;
    let cursor = after ?? '-1';
    let sent = 0;
    for (;;) {
      // One row past what the answer may still hold says whether more remain.
      const want = Math.min(PAGE_ROWS, limit - sent + 1);
      const rows: LogRow[] = await this.dataSource.query(
        `SELECT ${LOG_ROW_COLUMNS} FROM ${AUDIT_SCHEMA}.log
          WHERE ${where.sql} AND position > $${n + 1}::bigint ${accesses}
          ORDER BY log.position LIMIT $${n + 2}`,
        [...where.values, cursor, want, ...(includeAccesses ? [] : [AUDIT_ACCESSED])],
      );
      for (const row of rows) {
        if (sent === limit) {
          yield { end: true, entries: sent, nextCursor: cursor };
          return;
        }
        yield historyEntryOf(row);
        sent += 1;
        cursor = row.position;
      }
      if (rows.length < want) {
        yield { end: true, entries: sent };
        return;
      }
    }
  }
}
