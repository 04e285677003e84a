import type { Sector } from '@ruta/contracts';
import { enqueueOutbox } from '@ruta/messaging';
import type { DataSource } from 'typeorm';
import { SLA_MS, type SlaKind } from '../domain/lifecycle/sla';
import { slaBreachMessages, type RaisedBreach } from './sla-messages';
import { settledAtSql, slaSql } from './sla-sql';

const KINDS: readonly SlaKind[] = ['acknowledge', 'complete'];
const shortest = (kind: SlaKind) => Math.min(...Object.values(SLA_MS).map((sla) => sla[kind]));

/**
 * Raises the SLA breaches due by `now`, a bounded batch per transaction: the breach rows and their
 * referral.sla-breached messages commit together. sla_breaches' primary key plus ON CONFLICT DO
 * NOTHING RETURNING is what makes it safe to race: a breach another replica raised first
 * (committed or still in flight, which the insert waits for) returns no row here and sends nothing.
 */
export class SlaScanStore {
  constructor(
    private readonly dataSource: DataSource,
    private readonly schema: string,
    private readonly sector: Sector,
  ) {}

  /**
   * One batch: the breaches it raised, and whether it found a full batch due (then there may be more).
   * `settledSince`: referrals whose clocks stopped since then are checked for a deadline missed before it.
   */
  async raiseBatch(now: Date, limit: number, settledSince: Date): Promise<{ raised: RaisedBreach[]; full: boolean }> {
    return this.dataSource.transaction(async (manager) => {
      const due: { id: string; kind: SlaKind; due_at: Date }[] = await manager.query(dueBreachesSql(this.schema), [
        now,
        limit,
        ...KINDS.map((kind) => new Date(now.getTime() - shortest(kind))),
        settledSince,
      ]);
      if (due.length === 0) return { raised: [], full: false };
      const raised: RaisedBreach[] = await manager.query(
        `WITH inserted AS (
           INSERT INTO "${this.schema}".sla_breaches (referral_id, kind, due_at, raised_at)
           SELECT u.*, $4::timestamptz FROM unnest($1::uuid[], $2::text[], $3::timestamptz[]) AS u
           ON CONFLICT DO NOTHING
           RETURNING referral_id, kind, due_at)
         SELECT r.id AS "referralId", r.person_id AS "personId", r.type, r.priority, r.legal_basis AS "legalBasis",
                r.service_point_id AS "servicePointId", r.station_id AS "stationId",
                r.rule_set_version AS "ruleSetVersion", i.kind, i.due_at AS "dueAt"
           FROM inserted i JOIN "${this.schema}".referrals r ON r.id = i.referral_id
          ORDER BY i.due_at, r.id`,
        [due.map((d) => d.id), due.map((d) => d.kind), due.map((d) => d.due_at), now],
      );
      for (const breach of raised) breach.dueAt = new Date(breach.dueAt).toISOString();
      await enqueueOutbox(manager, this.schema, slaBreachMessages(this.sector, raised, now));
      return { raised, full: due.length === limit };
    });
  }
}

/**
 * Deadlines missed with no breach raised yet, earliest due first ($1 now, $2 the batch size):
 * - clocks still running: each kind reads its partial index (referrals_awaiting_acknowledgement,
 *   referrals_awaiting_completion) on created_at up to the shortest SLA's bound ($3, $4), then
 *   compares with the referral's own priority;
 * - clocks stopped late since $5 (acknowledged, finished or closed after the deadline before any
 *   scan saw it: the seconds between two scans, or a scheduler that was down), off referrals_settled.
 */
export function dueBreachesSql(schema: string): string {
  const sla = slaSql('r', '$1');
  const notRaised = (kind: string) =>
    `NOT EXISTS (SELECT 1 FROM "${schema}".sla_breaches b WHERE b.referral_id = r.id AND b.kind = ${kind})`;
  const running = KINDS.map(
    (kind, i) => `
    (SELECT r.id, '${kind}' AS kind, ${sla.dueAt(kind)} AS due_at
       FROM "${schema}".referrals r
      WHERE ${sla.open(kind)} AND r.created_at < $${i + 3}::timestamptz AND ${sla.missed(kind)}
        AND ${notRaised(`'${kind}'`)})`,
  );
  const stoppedLate = `
    (SELECT r.id, k.kind, k.due_at
       FROM "${schema}".referrals r
      CROSS JOIN LATERAL (VALUES ${KINDS.map((kind) => `('${kind}', ${sla.dueAt(kind)}, ${sla.doneAt(kind)})`).join(', ')})
            AS k(kind, due_at, done_at)
      WHERE ${settledAtSql('r')} >= $5::timestamptz AND k.done_at > k.due_at AND k.due_at < $1::timestamptz
        AND ${notRaised('k.kind')})`;
  return `SELECT id, kind, due_at FROM (${[...running, stoppedLate].join(' UNION ALL ')}) due
          ORDER BY due_at, id LIMIT $2`;
}
