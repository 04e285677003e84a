import type { EntityManager } from 'typeorm';
import type { LifecycleState } from '../../domain/lifecycle';
import { REFERRAL_RECORD_COLUMNS, type ReferralRecord } from '../referral-record';
import { timelineData, type Applied } from './casework-messages';

/** The SQL of casework in one sector schema; every method runs in the command's transaction. */
export class ActOnReferralStore {
  constructor(private readonly schema: string) {}

  /** Whose referral it is, read before locking: a person id never changes. */
  async personOf(manager: EntityManager, referralId: string): Promise<string | undefined> {
    const rows: { person_id: string }[] = await manager.query(
      `SELECT person_id FROM "${this.schema}".referrals WHERE id = $1`,
      [referralId],
    );
    return rows[0]?.person_id;
  }

  /** The referral's row, locked until the transaction ends (the person's lock is already held). */
  async loadForUpdate(manager: EntityManager, referralId: string): Promise<ReferralRecord | undefined> {
    const rows: ReferralRecord[] = await manager.query(
      `SELECT ${REFERRAL_RECORD_COLUMNS} FROM "${this.schema}".referrals WHERE id = $1 FOR UPDATE`,
      [referralId],
    );
    return rows[0];
  }

  /**
   * The referral's row after the events (its version counts them) and each event on its timeline,
   * with the version it produced, its actor and time, and its data (the note included).
   */
  async write(manager: EntityManager, after: LifecycleState, applied: readonly Applied[]): Promise<void> {
    const cancelled = after.status === 'cancelled' ? (after.closeReason?.code ?? null) : null;
    await manager.query(
      `UPDATE "${this.schema}".referrals
          SET priority = $2, status = $3, service_point_id = $4, station_id = $5, assignee = $6,
              acknowledged_at = $7, accepted_at = $8, started_at = $9, closed_at = $10, finished_at = $11,
              hold = $12::jsonb, outcome = $13::jsonb, close_reason = $14::jsonb,
              cancellation_reason = COALESCE($15, cancellation_reason), version = $16, updated_at = $17
        WHERE id = $1`,
      [
        after.id,
        after.priority,
        after.status,
        after.servicePointId,
        after.stationId,
        after.assignee,
        after.acknowledgedAt,
        after.acceptedAt,
        after.startedAt,
        after.closedAt,
        after.finishedAt,
        json(after.hold),
        json(after.outcome),
        json(after.closeReason),
        cancelled,
        after.version,
        after.updatedAt,
      ],
    );
    const rows = applied.map(({ event, after: state }) => ({
      version: state.version,
      type: event.type,
      actor: event.actor,
      at: event.at,
      data: timelineData(event),
    }));
    await manager.query(
      `INSERT INTO "${this.schema}".referral_events (referral_id, version, type, actor, at, data)
       SELECT $1, e.version, e.type, e.actor, e.at, e.data
       FROM jsonb_to_recordset($2::jsonb) AS e(version int, type text, actor text, at timestamptz, data jsonb)`,
      [after.id, JSON.stringify(rows)],
    );
  }
}

const json = (value: unknown) => (value === null ? null : JSON.stringify(value));
