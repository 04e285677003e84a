import { createOutboxTable } from '@ruta/messaging';
import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The audit service's outbox: it publishes no events of its own, only its consumer's dead letters. */
export class CreateAuditOutbox1764400000000 implements MigrationInterface {
  async up(runner: QueryRunner): Promise<void> {
    await createOutboxTable(runner, 'audit');
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP TABLE audit.outbox');
  }
}
