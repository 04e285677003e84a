import type { SlaKind } from '../domain/lifecycle/sla';
import { slaSql } from '../sla/sla-sql';
import { isoUtc } from './page-cursor';
import type { ReferralListItem, ReferralPage } from './list-referrals/list-referrals.query';

/** What a referral row reads as in a list: its deadlines flattened, for referralItem to fold. */
export type ReferralRow = Omit<ReferralListItem, 'sla'> & {
  acknowledgeBy: string;
  completeBy: string;
  overdue: SlaKind | null;
};

/**
 * The SELECT list of a referral as every casework list answers it, from the referrals row aliased
 * `r`; `now` is the timestamptz parameter the SLA flags are computed at (slaOf's rules, in SQL).
 */
export function referralColumns(r: string, now: string): string {
  const sla = slaSql(r, now);
  return `${r}.id, ${r}.person_id AS "personId", ${r}.sector, ${r}.type, ${r}.priority, ${r}.status,
          ${r}.service_point_id AS "servicePointId", ${r}.station_id AS "stationId", ${r}.legal_basis AS "legalBasis",
          ${r}.rule_set_version AS "ruleSetVersion", ${r}.decision_inputs AS "decisionInputs",
          ${r}.source_event_id AS "sourceEventId", ${r}.cancellation_reason AS "cancellationReason", ${r}.assignee,
          ${isoUtc(`${r}.created_at`)} AS "createdAt", ${isoUtc(`${r}.updated_at`)} AS "updatedAt",
          ${isoUtc(sla.dueAt('acknowledge'))} AS "acknowledgeBy", ${isoUtc(sla.dueAt('complete'))} AS "completeBy",
          ${sla.overdueKind} AS overdue`;
}

/** A row selected with referralColumns, as the list item it is (extra columns, such as a cursor's, are dropped). */
export function referralItem(row: ReferralRow): ReferralListItem {
  const { acknowledgeBy, completeBy, overdue, ...referral } = row;
  return {
    id: referral.id,
    personId: referral.personId,
    sector: referral.sector,
    type: referral.type,
    priority: referral.priority,
    status: referral.status,
    servicePointId: referral.servicePointId,
    stationId: referral.stationId,
    legalBasis: referral.legalBasis,
    ruleSetVersion: referral.ruleSetVersion,
    decisionInputs: referral.decisionInputs,
    sourceEventId: referral.sourceEventId,
    cancellationReason: referral.cancellationReason,
    assignee: referral.assignee,
    createdAt: referral.createdAt,
    updatedAt: referral.updatedAt,
    sla: { acknowledgeBy, completeBy, overdue },
  };
}

/**
 * A page of a casework list from rows read with LIMIT limit + 1: the first `limit` as items, and
 * the cursor of the last of them when another row shows a next page follows.
 */
export function referralPage<R extends ReferralRow>(
  rows: R[],
  limit: number,
  cursorOf: (last: R) => string,
): ReferralPage {
  const items = rows.slice(0, limit).map(referralItem);
  const last = rows[limit - 1];
  return rows.length > limit && last ? { items, nextCursor: cursorOf(last) } : { items };
}
