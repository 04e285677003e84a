import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { Clock } from '../../domain/lifecycle/clock';
import { SECTOR_CONFIG, type SectorConfig } from '../../sector.config';
import { SECTOR_CLOCK } from '../../sector-clock';
import type { ReferralPage } from '../list-referrals/list-referrals.query';
import { REFERRAL_CURSOR } from '../list-referrals/referral-cursor';
import { OPEN_STATUSES_SQL } from '../queue-order';
import { referralColumns, referralPage, type ReferralRow } from '../referral-item';
import { ListMyReferralsQuery } from './list-my-referrals.query';

/** A caseworker's referrals, keyset-paginated on (created_at, id) off referrals_assignee. */
@QueryHandler(ListMyReferralsQuery)
export class ListMyReferralsHandler implements IQueryHandler<ListMyReferralsQuery> {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(SECTOR_CONFIG) private readonly config: SectorConfig,
    @Inject(SECTOR_CLOCK) private readonly clock: Clock,
  ) {}

  async execute({ assignee, scope, status, limit, after }: ListMyReferralsQuery): Promise<ReferralPage> {
    // $1: the instant the SLA flags are computed at.
    const params: unknown[] = [this.clock.now(), assignee];
    const where = ['r.assignee = $2'];
    if (status === undefined) where.push(`r.status IN ${OPEN_STATUSES_SQL}`);
    else {
      params.push(status);
      where.push(`r.status = $${params.length}`);
    }
    // A referral transferred away from a caseworker's point leaves their list with it.
    if (scope.servicePointId !== undefined) {
      params.push(scope.servicePointId);
      where.push(`r.service_point_id = $${params.length}`);
    }
    const cursor = after ? REFERRAL_CURSOR.decode(after) : undefined;
    if (cursor) {
      params.push(cursor.createdAt, cursor.id);
      where.push(`(r.created_at, r.id) > ($${params.length - 1}::timestamptz, $${params.length}::uuid)`);
    }
    params.push(limit + 1);
    const rows: ReferralRow[] = await this.dataSource.query(
      `SELECT ${referralColumns('r', '$1')}
       FROM "${this.config.schema}".referrals r
       WHERE ${where.join(' AND ')}
       ORDER BY r.created_at, r.id
       LIMIT $${params.length}`,
      params,
    );
    return referralPage(rows, limit, (last) => REFERRAL_CURSOR.encode({ createdAt: last.createdAt, id: last.id }));
  }
}
