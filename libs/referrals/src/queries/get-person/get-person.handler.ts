import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { Clock } from '../../domain/lifecycle/clock';
import { SECTOR_CONFIG, type SectorConfig } from '../../sector.config';
import { SECTOR_CLOCK } from '../../sector-clock';
import type { Decision } from '../list-decisions/list-decisions.query';
import type { ReferralListItem } from '../list-referrals/list-referrals.query';
import { isoUtc } from '../page-cursor';
import { referralColumns, referralItem } from '../referral-item';
import { GetPersonQuery, type PersonCaseView } from './get-person.query';
import { personFacts } from './person-facts';

/** How much of a person's history the view carries; the paginated lists have the rest. */
export const PERSON_REFERRALS_MAX = 100;
export const PERSON_DECISIONS_MAX = 200;

@QueryHandler(GetPersonQuery)
export class GetPersonHandler implements IQueryHandler<GetPersonQuery> {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(SECTOR_CONFIG) private readonly config: SectorConfig,
    @Inject(SECTOR_CLOCK) private readonly clock: Clock,
  ) {}

  async execute({ personId, scope }: GetPersonQuery): Promise<PersonCaseView | undefined> {
    const s = this.config.schema;
    const rows = await this.dataSource.query(
      `SELECT ${referralColumns('r', '$1')} FROM "${s}".referrals r
        WHERE r.person_id = $2 AND ($3::text IS NULL OR r.service_point_id = $3)
        ORDER BY r.created_at DESC, r.id DESC LIMIT ${PERSON_REFERRALS_MAX}`,
      [this.clock.now(), personId, scope.servicePointId ?? null],
    );
    const referrals: ReferralListItem[] = rows.map(referralItem);
    const [view]: { view: Record<string, unknown>; household_size: number | null }[] = await this.dataSource.query(
      `SELECT v.view, m.household_size FROM "${s}".person_view v
         LEFT JOIN "${s}".household_members m ON m.person_id = v.person_id
        WHERE v.person_id = $1`,
      [personId],
    );
    if (referrals.length === 0 && !view) return undefined;
    // A caseworker sees the decisions on the referrals they see; a supervisor every one (deferrals too).
    const decisions: Decision[] = await this.dataSource.query(
      `SELECT referral_type AS rule, rule_set_version AS "ruleSetVersion", outcome, reason,
              legal_basis AS "legalBasis", inputs, event_id AS "eventId", referral_id AS "referralId",
              ${isoUtc('decided_at')} AS "decidedAt"
         FROM "${s}".decisions
        WHERE person_id = $1 AND ($2::boolean OR referral_id = ANY($3::uuid[]))
        ORDER BY id DESC LIMIT ${PERSON_DECISIONS_MAX}`,
      [personId, scope.servicePointId === undefined, referrals.map((r) => r.id)],
    );
    return {
      personId,
      facts: view ? personFacts(view.view, view.household_size) : null,
      referrals,
      decisions,
    };
  }
}
