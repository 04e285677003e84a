import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { Clock } from '../../domain/lifecycle/clock';
import { SECTOR_CONFIG, type SectorConfig } from '../../sector.config';
import { SECTOR_CLOCK } from '../../sector-clock';
import { slaSql } from '../../sla/sla-sql';
import { referralColumns, referralPage, type ReferralRow } from '../referral-item';
import { ListReferralsQuery, type ReferralFilter, type ReferralPage } from './list-referrals.query';
import { REFERRAL_CURSOR } from './referral-cursor';

/** The column each filter compares with (names fixed here, never taken from the request). */
const FILTER_COLUMNS: Record<Exclude<keyof ReferralFilter, 'overdue'>, string> = {
  personId: 'person_id',
  type: 'type',
  priority: 'priority',
  stationId: 'station_id',
  status: 'status',
  servicePointId: 'service_point_id',
};

/** Referrals of this sector, oldest first, keyset-paginated on (created_at, id). */
@QueryHandler(ListReferralsQuery)
export class ListReferralsHandler implements IQueryHandler<ListReferralsQuery> {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(SECTOR_CONFIG) private readonly config: SectorConfig,
    @Inject(SECTOR_CLOCK) private readonly clock: Clock,
  ) {}

  async execute({ filter, limit, after, scope }: ListReferralsQuery): Promise<ReferralPage> {
    // Only the filters given reach the SQL, so the planner sees plain equalities an index serves.
    // $1 is the instant the SLA flags are computed at.
    const params: unknown[] = [this.clock.now()];
    const where: string[] = [];
    // The caller's scope comes first and is ANDed with the filter: a caseworker asking for another
    // service point gets an empty page, never that point's referrals.
    if (scope) {
      params.push(scope.sector);
      where.push(`sector = $${params.length}`);
      if (scope.servicePointId !== undefined) {
        params.push(scope.servicePointId);
        where.push(`service_point_id = $${params.length}`);
      }
    }
    for (const [key, column] of Object.entries(FILTER_COLUMNS) as [keyof typeof FILTER_COLUMNS, string][]) {
      const value = filter[key];
      if (value === undefined) continue;
      params.push(value);
      where.push(`r.${column} = $${params.length}`);
    }
    if (filter.overdue !== undefined) where.push(`${filter.overdue ? '' : 'NOT '}${slaSql('r', '$1').overdue}`);
    // The request was validated: a cursor here is one a previous page returned.
    const cursor = after ? REFERRAL_CURSOR.decode(after) : undefined;
    if (cursor) {
      params.push(cursor.createdAt, cursor.id);
      where.push(`(r.created_at, r.id) > ($${params.length - 1}::timestamptz, $${params.length}::uuid)`);
    }
    params.push(limit + 1);
    const rows: ReferralRow[] = await this.dataSource.query(
      `SELECT ${referralColumns('r', '$1')}
       FROM "${this.config.schema}".referrals r
       ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''}
       ORDER BY r.created_at, r.id
       LIMIT $${params.length}`,
      params,
    );
    return referralPage(rows, limit, (last) => REFERRAL_CURSOR.encode({ createdAt: last.createdAt, id: last.id }));
  }
}
