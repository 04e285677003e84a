import { assertSchemaName } from '@ruta/persistence';
import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Routing over a person's whole journey: household memberships (the latest link naming each
 * person, by sequence), per-person lock rows, and person views rewritten into the
 * sequence-stamped shape (every fact at sequence 0, so any sequenced event is later).
 */
export class RouteWholeJourneys1764600000001 implements MigrationInterface {
  async up(runner: QueryRunner): Promise<void> {
    const s = schemaOf(runner);
    await runner.query(`
      CREATE TABLE "${s}".household_members (
        person_id      text PRIMARY KEY,
        head_person_id text        NOT NULL,
        household_size integer     NOT NULL,
        seq            bigint      NOT NULL,
        updated_at     timestamptz NOT NULL DEFAULT now()
      )`);
    await runner.query(`CREATE INDEX household_members_head ON "${s}".household_members (head_person_id)`);
    // Rows that only anchor routing's per-person locks (row locks need no shared lock memory, unlike
    // 500 advisory locks a batch): unlogged, so a new person costs no WAL; a crash empties it, harmlessly.
    await runner.query(`CREATE UNLOGGED TABLE "${s}".person_locks (person_id text PRIMARY KEY)`);
    // Only protection's rules read the category; the other sectors drop it (PRODUCT.md, data minimisation).
    const keepsCategory = s === 'protection';
    await runner.query(
      `
      UPDATE "${s}".person_view SET view = jsonb_strip_nulls(jsonb_build_object(
        'personId', view->'personId',
        'lastSeq', 0,
        'outcomes', '{}'::jsonb,
        'basics', CASE WHEN view ? 'sex' THEN jsonb_build_object('seq', 0, 'value', jsonb_strip_nulls(jsonb_build_object(
          'sex', view->'sex', 'nationality', view->'nationality', 'languages', view->'languages',
          'age', COALESCE((view->>'ageYears')::int, extract(year FROM age(
            ((view->>'registeredAt')::timestamptz AT TIME ZONE 'UTC')::date, (view->>'birthDate')::date))::int)))) END,
        'station', CASE WHEN view ? 'stationId' THEN jsonb_build_object('seq', 0, 'value', view->'stationId') END,
        'category', CASE WHEN $1 AND view ? 'category' THEN jsonb_build_object('seq', 0, 'value', view->'category') END,
        'indicators', jsonb_build_object('seq', 0, 'value', COALESCE(view->'indicators', '{}'::jsonb)),
        'consent', CASE WHEN view ? 'consent' THEN jsonb_build_object('seq', 0, 'value', jsonb_build_object(
          'informationSharing', view->'consent'->'informationSharing', 'sectors', view->'consent'->'sectors',
          'byGuardian', view->'consent' ? 'guardianPersonId')) END,
        'departed', CASE WHEN (view->>'departed')::boolean THEN true END))
      WHERE NOT view ? 'lastSeq'`,
      [keepsCategory],
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    const s = schemaOf(runner);
    await runner.query(`DROP TABLE "${s}".person_locks`);
    await runner.query(`DROP TABLE "${s}".household_members`);
  }
}

function schemaOf(runner: QueryRunner): string {
  return assertSchemaName(String((runner.connection.options as { schema?: string }).schema));
}
