import type { Referral } from '../domain/referral';
import type { LifecycleState } from '../domain/lifecycle';
import { isCursorUuid, isoUtc } from '../queries/page-cursor';

/**
 * A referral row with its lifecycle columns, as casework reads it (times as ISO 8601 UTC): the
 * routed referral's facts and the lifecycle's state (its requestedAt is the row's createdAt).
 */
export type ReferralRecord = Referral & Omit<LifecycleState, keyof Referral | 'requestedAt'>;

const at = (column: string, name: string) =>
  `CASE WHEN ${column} IS NULL THEN NULL ELSE ${isoUtc(column)} END AS "${name}"`;

/** The SELECT list of a ReferralRecord (column names fixed here, never from a request). */
export const REFERRAL_RECORD_COLUMNS = `id, person_id AS "personId", sector, type, priority, status,
  service_point_id AS "servicePointId", station_id AS "stationId", legal_basis AS "legalBasis",
  rule_set_version AS "ruleSetVersion", decision_inputs AS "decisionInputs", source_event_id AS "sourceEventId",
  assignee, hold, outcome, close_reason AS "closeReason", ${isoUtc('created_at')} AS "createdAt",
  ${at('acknowledged_at', 'acknowledgedAt')}, ${at('accepted_at', 'acceptedAt')}, ${at('started_at', 'startedAt')},
  ${at('closed_at', 'closedAt')}, ${at('finished_at', 'finishedAt')}, ${isoUtc('updated_at')} AS "updatedAt", version`;

/** The lifecycle's state of a row: requestedAt is when routing made it, version its ETag. */
export function stateOf(record: ReferralRecord): LifecycleState {
  return {
    id: record.id,
    personId: record.personId,
    sector: record.sector,
    type: record.type,
    priority: record.priority,
    status: record.status,
    servicePointId: record.servicePointId,
    stationId: record.stationId,
    legalBasis: record.legalBasis,
    assignee: record.assignee,
    version: record.version,
    requestedAt: record.createdAt,
    acknowledgedAt: record.acknowledgedAt,
    acceptedAt: record.acceptedAt,
    startedAt: record.startedAt,
    closedAt: record.closedAt,
    finishedAt: record.finishedAt,
    updatedAt: record.updatedAt,
    hold: record.hold,
    outcome: record.outcome,
    closeReason: record.closeReason,
  };
}

/** A referral as casework answers it: the row's facts and lifecycle, without the timeline. */
export type ReferralView = ReferralRecord;

/** The record after a decided change, as the answer shows it (updated from the evolved state). */
export function recordAfter(record: ReferralRecord, state: LifecycleState): ReferralRecord {
  const micro = <T extends string | null>(iso: T): T =>
    iso === null ? iso : (iso.replace(/\.(\d{3})Z$/, '.$1000Z') as T);
  return {
    ...record,
    priority: state.priority,
    status: state.status,
    servicePointId: state.servicePointId,
    stationId: state.stationId,
    assignee: state.assignee,
    hold: state.hold,
    outcome: state.outcome,
    closeReason: state.closeReason,
    acknowledgedAt: micro(state.acknowledgedAt),
    acceptedAt: micro(state.acceptedAt),
    startedAt: micro(state.startedAt),
    closedAt: micro(state.closedAt),
    finishedAt: micro(state.finishedAt),
    updatedAt: micro(state.updatedAt),
    version: state.version,
  };
}

/** `"<version>"`: a strong entity tag of the referral's version. */
export const etagOf = (version: number) => `"${version}"`;

/** A referral id as a client may write it: a uuid in either case. */
export const isReferralId = (id: string) => isCursorUuid(id.toLowerCase());
