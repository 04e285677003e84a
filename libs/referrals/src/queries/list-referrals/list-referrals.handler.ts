import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { Referral } from '../../domain/referral';
import { SECTOR_CONFIG, type SectorConfig } from '../../sector.config';
import { ListReferralsQuery, type ReferralPage } from './list-referrals.query';
import { decodeReferralCursor, encodeReferralCursor } from './referral-cursor';

/** Referrals of this sector, oldest first, keyset-paginated on (created_at, id). */
@QueryHandler(ListReferralsQuery)
export class ListReferralsHandler implements IQueryHandler<ListReferralsQuery> {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(SECTOR_CONFIG) private readonly config: SectorConfig,
  ) {}

  async execute({ filter, limit, after }: ListReferralsQuery): Promise<ReferralPage> {
    // The request was validated: a cursor here is one a previous page returned.
    const cursor = after ? decodeReferralCursor(after) : undefined;
    const rows: Referral[] = await this.dataSource.query(
      `SELECT id, person_id AS "personId", sector, type, priority, status, service_point_id AS "servicePointId",
              station_id AS "stationId", legal_basis AS "legalBasis", rule_set_version AS "ruleSetVersion",
              decision_inputs AS "decisionInputs", source_event_id AS "sourceEventId",
              to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS "createdAt"
       FROM "${this.config.schema}".referrals
       WHERE ($1::text IS NULL OR person_id = $1)
         AND ($2::text IS NULL OR status = $2)
         AND ($3::text IS NULL OR service_point_id = $3)
         AND ($4::timestamptz IS NULL OR (created_at, id) > ($4::timestamptz, $5::uuid))
       ORDER BY created_at, id
       LIMIT $6`,
      [
        filter.personId ?? null,
        filter.status ?? null,
        filter.servicePointId ?? null,
        cursor?.createdAt ?? null,
        cursor?.id ?? null,
        limit + 1,
      ],
    );
    const items = rows.slice(0, limit);
    const last = items[items.length - 1];
    return rows.length > limit && last
      ? { items, nextCursor: encodeReferralCursor({ createdAt: last.createdAt, id: last.id }) }
      : { items };
  }
}
