import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A keyed fingerprint of the direct identifiers that came with an event (HMAC, see IdentifierVault):
 * the same event id resubmitted with another name is a conflict, not a duplicate.
 */
export class AddIdentifiersFingerprint1764500000000 implements MigrationInterface {
  async up(runner: QueryRunner): Promise<void> {
    await runner.query('ALTER TABLE intake.events ADD COLUMN identifiers_fingerprint bytea');
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('ALTER TABLE intake.events DROP COLUMN identifiers_fingerprint');
  }
}
