import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { Clock } from '../../domain/lifecycle/clock';
import { SECTOR_CONFIG, type SectorConfig } from '../../sector.config';
import { SECTOR_CLOCK } from '../../sector-clock';
import { slaSql } from '../../sla/sla-sql';
import type { ReferralPage } from '../list-referrals/list-referrals.query';
import { isoUtc } from '../page-cursor';
import { referralColumns, referralPage, type ReferralRow } from '../referral-item';
import { ListOverdueReferralsQuery } from './list-overdue-referrals.query';
import { OVERDUE_CURSOR } from './overdue-cursor';

/**
 * Overdue referrals keyset-paginated on (earliest missed deadline, id). Only referrals whose clocks
 * still run can be overdue, so the scan starts from the partial indexes referrals_awaiting_*.
 */
@QueryHandler(ListOverdueReferralsQuery)
export class ListOverdueReferralsHandler implements IQueryHandler<ListOverdueReferralsQuery> {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(SECTOR_CONFIG) private readonly config: SectorConfig,
    @Inject(SECTOR_CLOCK) private readonly clock: Clock,
  ) {}

  async execute({ scope, limit, after }: ListOverdueReferralsQuery): Promise<ReferralPage> {
    const sla = slaSql('r', '$1');
    const params: unknown[] = [this.clock.now()];
    const where = [sla.overdue];
    if (scope.servicePointId !== undefined) {
      params.push(scope.servicePointId);
      where.push(`r.service_point_id = $${params.length}`);
    }
    const outer: string[] = [];
    const cursor = after ? OVERDUE_CURSOR.decode(after) : undefined;
    if (cursor) {
      params.push(cursor.dueAt, cursor.id);
      outer.push(`WHERE (o.overdue_since, o.id) > ($${params.length - 1}::timestamptz, $${params.length}::uuid)`);
    }
    params.push(limit + 1);
    const rows: (ReferralRow & { overdueSince: string })[] = await this.dataSource.query(
      `SELECT * FROM (
         SELECT ${referralColumns('r', '$1')}, ${sla.overdueSince} AS overdue_since,
                ${isoUtc(sla.overdueSince)} AS "overdueSince"
           FROM "${this.config.schema}".referrals r
          WHERE ${where.join(' AND ')}) o
       ${outer.join(' ')}
       ORDER BY o.overdue_since, o.id
       LIMIT $${params.length}`,
      params,
    );
    return referralPage(rows, limit, (last) => OVERDUE_CURSOR.encode({ dueAt: last.overdueSince, id: last.id }));
  }
}
