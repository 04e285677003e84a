import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Direct identifiers, encrypted (AES-256-GCM) per event; only the gateway reads this table and
 * nothing in it is ever published.
 */
export class CreateIdentifierVault1764400000002 implements MigrationInterface {
  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE intake.direct_identifiers (
        event_id   text PRIMARY KEY REFERENCES intake.events (event_id),
        person_id  text        NOT NULL,
        key_id     text        NOT NULL,
        iv         bytea       NOT NULL,
        auth_tag   bytea       NOT NULL,
        ciphertext bytea       NOT NULL,
        stored_at  timestamptz NOT NULL DEFAULT now()
      )`);
    await runner.query('CREATE INDEX direct_identifiers_person ON intake.direct_identifiers (person_id)');
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP TABLE intake.direct_identifiers');
  }
}
