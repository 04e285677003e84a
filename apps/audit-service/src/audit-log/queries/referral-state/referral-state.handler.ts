import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { InjectDataSource } from '@nestjs/typeorm';
import { REFERRAL_SLA_BREACHED, type SlaKindV1 } from '@ruta/contracts';
import { fold, type LifecycleState } from '@ruta/referrals';
import { DataSource } from 'typeorm';
import { AUDIT_SCHEMA } from '../../audit.constants';
import { LIFECYCLE_EVENT_TYPES, lifecycleEventOf } from './lifecycle-event-of';
import { ReferralStateQuery, type ReferralStateAnswer } from './referral-state.query';

const PAGE_ROWS = 1000;
const FOLDED_TYPES = [...LIFECYCLE_EVENT_TYPES, REFERRAL_SLA_BREACHED];

interface FoldRow {
  position: string;
  type: string;
  actor: string | null;
  at: string;
  bytes: Buffer;
}

/**
 * Folds a referral's logged events whose time is at or before `asOf`, in log order, with the
 * lifecycle's own evolve (libs/referrals), a page at a time. "As of" reads the event's time (the
 * CloudEvent `time` its producer set, the lifecycle's own instant; the log's appendedAt when an
 * event has none): the state the referral was in at that instant, as its sector recorded it.
 */
@QueryHandler(ReferralStateQuery)
export class ReferralStateHandler implements IQueryHandler<ReferralStateQuery> {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async execute({ referralId, asOf }: ReferralStateQuery): Promise<ReferralStateAnswer | null> {
    let state: LifecycleState | null = null;
    const breaches = new Set<SlaKindV1>();
    let events = 0;
    let cursor = '-1';
    for (;;) {
      const rows: FoldRow[] = await this.dataSource.query(
        `SELECT position::text AS position, type, actor, bytes,
                to_char(COALESCE(event_time, appended_at) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS at
           FROM ${AUDIT_SCHEMA}.log
          WHERE referral_id = $1 AND type = ANY($2::text[]) AND COALESCE(event_time, appended_at) <= $3
            AND position > $4::bigint
          ORDER BY log.position LIMIT $5`,
        [referralId, FOLDED_TYPES, asOf, cursor, PAGE_ROWS],
      );
      for (const row of rows) {
        const { data } = JSON.parse(row.bytes.toString('utf8')) as { data: Record<string, unknown> };
        if (row.type === REFERRAL_SLA_BREACHED) breaches.add(data.kind as SlaKindV1);
        const event = lifecycleEventOf(row.type, data, row.at, row.actor ?? 'unknown');
        if (event) state = fold([event], state);
        events += 1;
        cursor = row.position;
      }
      if (rows.length < PAGE_ROWS) break;
    }
    return state && answerOf(state, asOf, [...breaches], events, cursor);
  }
}

function answerOf(
  state: LifecycleState,
  asOf: Date,
  slaBreaches: SlaKindV1[],
  events: number,
  lastPosition: string,
): ReferralStateAnswer {
  const { id, version: _version, updatedAt: _updatedAt, hold, outcome, closeReason, ...facts } = state;
  return {
    referralId: id,
    asOf: asOf.toISOString(),
    ...facts,
    hold: hold?.code ?? null,
    outcome: outcome?.code ?? null,
    closeReason: closeReason?.code ?? null,
    slaBreaches,
    events,
    lastPosition,
  };
}
