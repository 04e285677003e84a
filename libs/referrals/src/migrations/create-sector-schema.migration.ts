import { createInboxTable, createOutboxTable } from '@ruta/messaging';
import { assertSchemaName } from '@ruta/persistence';
import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The sector's own schema: its person views, referrals, routing decisions, inbox and outbox. */
export class CreateSectorSchema1764300000001 implements MigrationInterface {
  async up(runner: QueryRunner): Promise<void> {
    const s = assertSchemaName(String((runner.connection.options as { schema?: string }).schema));
    await runner.query(`
      CREATE TABLE "${s}".person_view (
        person_id  text PRIMARY KEY,
        view       jsonb       NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await runner.query(`
      CREATE TABLE "${s}".referrals (
        id               uuid PRIMARY KEY,
        person_id        text        NOT NULL,
        sector           text        NOT NULL,
        type             text        NOT NULL,
        priority         text        NOT NULL,
        status           text        NOT NULL,
        service_point_id text        NOT NULL,
        station_id       text,
        legal_basis      text        NOT NULL,
        rule_set_version text        NOT NULL,
        decision_inputs  jsonb       NOT NULL,
        source_event_id  text        NOT NULL,
        version          integer     NOT NULL DEFAULT 1,
        created_at       timestamptz NOT NULL DEFAULT now(),
        updated_at       timestamptz NOT NULL DEFAULT now()
      )`);
    await runner.query(`
      CREATE UNIQUE INDEX referrals_one_open_per_type ON "${s}".referrals (person_id, type)
      WHERE status IN ('requested', 'accepted', 'in-progress', 'on-hold')`);
    await runner.query(`CREATE INDEX referrals_created ON "${s}".referrals (created_at, id)`);
    await runner.query(`
      CREATE TABLE "${s}".decisions (
        id               bigserial PRIMARY KEY,
        person_id        text        NOT NULL,
        referral_type    text        NOT NULL,
        rule_set_version text        NOT NULL,
        outcome          text        NOT NULL,
        reason           text,
        legal_basis      text        NOT NULL,
        inputs           jsonb       NOT NULL,
        event_id         text        NOT NULL,
        referral_id      uuid,
        decided_at       timestamptz NOT NULL DEFAULT now()
      )`);
    await runner.query(`CREATE INDEX decisions_person ON "${s}".decisions (person_id, id)`);
    await createInboxTable(runner, s);
    await createOutboxTable(runner, s);
  }

  async down(runner: QueryRunner): Promise<void> {
    const s = assertSchemaName(String((runner.connection.options as { schema?: string }).schema));
    for (const t of ['outbox', 'inbox', 'decisions', 'referrals', 'person_view']) {
      await runner.query(`DROP TABLE "${s}"."${t}"`);
    }
  }
}
