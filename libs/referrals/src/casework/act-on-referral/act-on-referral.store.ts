import type { EntityManager } from 'typeorm';
import type { LifecycleState } from '../../domain/lifecycle';
import type { CaseworkAnswer } from '../casework-answers';
import { REFERRAL_RECORD_COLUMNS, type ReferralRecord } from '../referral-record';
import { timelineData, type Applied } from './casework-messages';

export type KeyClaim = { kind: 'fresh' } | { kind: 'replay'; answer: CaseworkAnswer } | { kind: 'other-request' };

/** The SQL of casework in one sector schema; every method runs in the command's transaction. */
export class ActOnReferralStore {
  constructor(private readonly schema: string) {}

  /**
   * Claims (caller, key) for this request, or finds the answer it already got. The claim is a row
   * inserted now and filled in at the end: a concurrent request with the same key waits on it
   * until this transaction ends, then reads the answer (or claims it, if this one rolled back).
   */
  async claimKey(manager: EntityManager, caller: string, key: string, digest: string): Promise<KeyClaim> {
    const claimed: unknown[] = await manager.query(
      `INSERT INTO "${this.schema}".idempotency_keys (caller, key, request_digest, status, answer)
       VALUES ($1, $2, $3, 0, '{}'::jsonb) ON CONFLICT (caller, key) DO NOTHING RETURNING key`,
      [caller, key, digest],
    );
    if (claimed.length > 0) return { kind: 'fresh' };
    const [row]: {
      request_digest: string;
      status: number;
      answer: { body: Record<string, unknown>; etag?: string };
    }[] = await manager.query(
      `SELECT request_digest, status, answer FROM "${this.schema}".idempotency_keys WHERE caller = $1 AND key = $2`,
      [caller, key],
    );
    if (!row || row.request_digest !== digest) return { kind: 'other-request' };
    return {
      kind: 'replay',
      answer: { status: row.status, body: row.answer.body, ...(row.answer.etag ? { etag: row.answer.etag } : {}) },
    };
  }

  async keepAnswer(manager: EntityManager, caller: string, key: string, answer: CaseworkAnswer): Promise<void> {
    await manager.query(
      `UPDATE "${this.schema}".idempotency_keys SET status = $3, answer = $4::jsonb WHERE caller = $1 AND key = $2`,
      [
        caller,
        key,
        answer.status,
        JSON.stringify({ body: answer.body, ...(answer.etag ? { etag: answer.etag } : {}) }),
      ],
    );
  }

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
