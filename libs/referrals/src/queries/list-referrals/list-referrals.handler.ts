import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { SECTOR_CONFIG, type SectorConfig } from '../../sector.config';
import { isoUtc } from '../page-cursor';
import {
  ListReferralsQuery,
  type ReferralFilter,
  type ReferralListItem,
  type ReferralPage,
} from './list-referrals.query';
import { REFERRAL_CURSOR } from './referral-cursor';

/** The column each filter compares with (names fixed here, never taken from the request). */
const FILTER_COLUMNS: Record<keyof ReferralFilter, string> = {
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
  ) {}

  async execute({ filter, limit, after, scope }: ListReferralsQuery): Promise<ReferralPage> {
    // Only the filters given reach the SQL, so the planner sees plain equalities an index serves.
    const params: unknown[] = [];
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
    for (const [key, column] of Object.entries(FILTER_COLUMNS) as [keyof ReferralFilter, string][]) {
      const value = filter[key];
      if (value === undefined) continue;
      params.push(value);
      where.push(`${column} = $${params.length}`);
    }
    // The request was validated: a cursor here is one a previous page returned.
    const cursor = after ? REFERRAL_CURSOR.decode(after) : undefined;
    if (cursor) {
      params.push(cursor.createdAt, cursor.id);
      where.push(`(created_at, id) > ($${params.length - 1}::timestamptz, $${params.length}::uuid)`);
    }
    params.push(limit + 1);
    const rows: ReferralListItem[] = await this.dataSource.query(
      `SELECT id, person_id AS "personId", sector, type, priority, status, service_point_id AS "servicePointId",
              station_id AS "stationId", legal_basis AS "legalBasis", rule_set_version AS "ruleSetVersion",
              decision_inputs AS "decisionInputs", source_event_id AS "sourceEventId",
              cancellation_reason AS "cancellationReason",
              ${isoUtc('created_at')} AS "createdAt", ${isoUtc('updated_at')} AS "updatedAt"
       FROM "${this.config.schema}".referrals
       ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''}
       ORDER BY created_at, id
       LIMIT $${params.length}`,
      params,
    );
    const items = rows.slice(0, limit);
    const last = items[items.length - 1];
    return rows.length > limit && last
      ? { items, nextCursor: REFERRAL_CURSOR.encode({ createdAt: last.createdAt, id: last.id }) }
      : { items };
  }
}
