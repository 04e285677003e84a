import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { Clock } from '../../domain/lifecycle/clock';
import { SECTOR_CONFIG, type SectorConfig } from '../../sector.config';
import { SECTOR_CLOCK } from '../../sector-clock';
import { slaSql } from '../../sla/sla-sql';
import type { ReferralPage } from '../list-referrals/list-referrals.query';
import { OPEN_STATUSES_SQL, priorityRankSql } from '../queue-order';
import { referralColumns, referralPage, type ReferralRow } from '../referral-item';
import { ListQueueQuery } from './list-queue.query';
import { QUEUE_CURSOR } from './queue-cursor';

const RANK = priorityRankSql('r.priority');

/**
 * A queue page, keyset-paginated on (rank, created_at, id), read off referrals_queue_point (one
 * service point) or referrals_queue_sector (all of them) already in that order.
 */
@QueryHandler(ListQueueQuery)
export class ListQueueHandler implements IQueryHandler<ListQueueQuery> {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(SECTOR_CONFIG) private readonly config: SectorConfig,
    @Inject(SECTOR_CLOCK) private readonly clock: Clock,
  ) {}

  async execute({ scope, filter, limit, after }: ListQueueQuery): Promise<ReferralPage> {
    // $1: the instant the SLA flags are computed at. The open statuses are written out (constants)
    // so the planner sees the partial indexes' predicate.
    const params: unknown[] = [this.clock.now()];
    const where = [`r.status IN ${OPEN_STATUSES_SQL}`];
    const equal = (column: string, value: unknown) => {
      params.push(value);
      where.push(`r.${column} = $${params.length}`);
    };
    if (scope.servicePointId !== undefined) equal('service_point_id', scope.servicePointId);
    if (filter.status !== undefined) equal('status', filter.status);
    if (filter.type !== undefined) equal('type', filter.type);
    if (filter.unassigned !== undefined) where.push(`r.assignee IS ${filter.unassigned ? '' : 'NOT '}NULL`);
    if (filter.overdue !== undefined) where.push(`${filter.overdue ? '' : 'NOT '}${slaSql('r', '$1').overdue}`);
    // The request was validated: a cursor here is one a previous page returned.
    const cursor = after ? QUEUE_CURSOR.decode(after) : undefined;
    if (cursor) {
      params.push(Number(cursor.rank), cursor.createdAt, cursor.id);
      const n = params.length;
      where.push(`(${RANK}, r.created_at, r.id) > ($${n - 2}::int, $${n - 1}::timestamptz, $${n}::uuid)`);
    }
    params.push(limit + 1);
    const rows: (ReferralRow & { rank: number })[] = await this.dataSource.query(
      `SELECT ${referralColumns('r', '$1')}, ${RANK} AS rank
       FROM "${this.config.schema}".referrals r
       WHERE ${where.join(' AND ')}
       ORDER BY ${RANK}, r.created_at, r.id
       LIMIT $${params.length}`,
      params,
    );
    return referralPage(rows, limit, (last) =>
      QUEUE_CURSOR.encode({ rank: String(last.rank), createdAt: last.createdAt, id: last.id }),
    );
  }
}
