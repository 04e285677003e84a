import { assertSchemaName } from '@ruta/persistence';
import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Casework on referrals (issue 10): the lifecycle's state beside each referral, its timeline, the
 * answers kept for Idempotency-Key retries and the SLA breaches already raised.
 *
 * - referrals: who holds it and when each step happened (the SLA clocks stop on acknowledged_at,
 *   finished_at or closed_at); hold, outcome and close_reason are `{code, note}`. Referrals routing
 *   cancelled before this migration get their closed_at and close_reason from what it recorded.
 * - referral_events: every lifecycle event on a referral, in order, with its actor and time; `version`
 *   is the referral's version the event produced (the ETag clients send back in If-Match).
 * - idempotency_keys: one answer per caller and key, with a digest of the request it answered.
 * - sla_breaches: its primary key is why referral.sla-breached is raised once per referral and
 *   deadline, whichever replica's scheduler gets there first.
 * - decisions.actor: who made a decision that was not routing's own (a supervisor's consent override).
 */
export class ReferralLifecycle1764700000000 implements MigrationInterface {
  async up(runner: QueryRunner): Promise<void> {
    const s = schemaOf(runner);
    await runner.query(`
      ALTER TABLE "${s}".referrals
        ADD COLUMN assignee        text,
        ADD COLUMN acknowledged_at timestamptz,
        ADD COLUMN accepted_at     timestamptz,
        ADD COLUMN started_at      timestamptz,
        ADD COLUMN closed_at       timestamptz,
        ADD COLUMN finished_at     timestamptz,
        ADD COLUMN hold            jsonb,
        ADD COLUMN outcome         jsonb,
        ADD COLUMN close_reason    jsonb`);
    await runner.query(`
      UPDATE "${s}".referrals
         SET closed_at = updated_at, close_reason = jsonb_build_object('code', cancellation_reason, 'note', NULL)
       WHERE status = 'cancelled'`);
    // A caseworker's own referrals, and the open referrals whose SLA clocks still run.
    await runner.query(
      `CREATE INDEX referrals_assignee ON "${s}".referrals (assignee, created_at, id) WHERE assignee IS NOT NULL`,
    );
    await runner.query(
      `CREATE INDEX referrals_awaiting_acknowledgement ON "${s}".referrals (created_at)
        WHERE acknowledged_at IS NULL AND closed_at IS NULL`,
    );
    await runner.query(
      `CREATE INDEX referrals_awaiting_completion ON "${s}".referrals (created_at)
        WHERE finished_at IS NULL AND closed_at IS NULL`,
    );
    await runner.query(`
      CREATE TABLE "${s}".referral_events (
        id          bigserial   PRIMARY KEY,
        referral_id uuid        NOT NULL,
        version     integer     NOT NULL,
        type        text        NOT NULL,
        actor       text        NOT NULL,
        at          timestamptz NOT NULL,
        data        jsonb       NOT NULL
      )`);
    await runner.query(`CREATE INDEX referral_events_referral ON "${s}".referral_events (referral_id, id)`);
    await runner.query(`
      INSERT INTO "${s}".referral_events (referral_id, version, type, actor, at, data)
      SELECT id, 1, 'referral.requested', 'system:' || sector || '-routing', created_at, '{}'::jsonb
        FROM "${s}".referrals ORDER BY created_at, id`);
    await runner.query(`
      CREATE TABLE "${s}".idempotency_keys (
        caller         text        NOT NULL,
        key            text        NOT NULL,
        request_digest text        NOT NULL,
        status         integer     NOT NULL,
        answer         jsonb       NOT NULL,
        created_at     timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (caller, key)
      )`);
    await runner.query(`CREATE INDEX idempotency_keys_created ON "${s}".idempotency_keys (created_at)`);
    await runner.query(`
      CREATE TABLE "${s}".sla_breaches (
        referral_id uuid        NOT NULL,
        kind        text        NOT NULL,
        due_at      timestamptz NOT NULL,
        raised_at   timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (referral_id, kind)
      )`);
    await runner.query(`ALTER TABLE "${s}".decisions ADD COLUMN actor text`);
  }

  async down(runner: QueryRunner): Promise<void> {
    const s = schemaOf(runner);
    await runner.query(`ALTER TABLE "${s}".decisions DROP COLUMN actor`);
    for (const table of ['sla_breaches', 'idempotency_keys', 'referral_events']) {
      await runner.query(`DROP TABLE "${s}"."${table}"`);
    }
    for (const index of ['referrals_awaiting_completion', 'referrals_awaiting_acknowledgement', 'referrals_assignee']) {
      await runner.query(`DROP INDEX "${s}"."${index}"`);
    }
    await runner.query(`
      ALTER TABLE "${s}".referrals
        DROP COLUMN assignee, DROP COLUMN acknowledged_at, DROP COLUMN accepted_at, DROP COLUMN started_at,
        DROP COLUMN closed_at, DROP COLUMN finished_at, DROP COLUMN hold, DROP COLUMN outcome, DROP COLUMN close_reason`);
  }
}

function schemaOf(runner: QueryRunner): string {
  return assertSchemaName(String((runner.connection.options as { schema?: string }).schema));
}
