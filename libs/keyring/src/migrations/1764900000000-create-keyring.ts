import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * One data key per person, wrapped by the master key (RUTA_IDENTIFIERS_KEY). A schema of its own so
 * it can be backed up on its own, shorter retention: erasure deletes a wrapped key, and it reaches
 * every copy of the sealed data only once no backup of this table still holds the key.
 *
 * - key_id names the data key (`direct_identifiers.key_id` is `person:<key_id>` for what it sealed);
 * - kek_id names the master key that wrapped it (RUTA_IDENTIFIERS_KEY_ID), so the master key can rotate;
 * - wrapped_key is NULL once erased_at is set: the key is gone, the row stays as the record of it.
 */
export class CreateKeyring1764900000000 implements MigrationInterface {
  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE keyring.person_keys (
        person_id   text        PRIMARY KEY,
        key_id      text        NOT NULL UNIQUE,
        kek_id      text        NOT NULL,
        wrapped_key bytea,
        created_at  timestamptz NOT NULL DEFAULT now(),
        erased_at   timestamptz,
        CONSTRAINT person_keys_erased_or_kept CHECK ((wrapped_key IS NULL) = (erased_at IS NOT NULL))
      )`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP TABLE keyring.person_keys');
  }
}
