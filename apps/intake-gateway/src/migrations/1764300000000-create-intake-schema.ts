import { createOutboxTable } from '@ruta/messaging';
import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateIntakeSchema1764300000000 implements MigrationInterface {
  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE intake.events (
        seq         bigserial   UNIQUE,
        event_id    text        PRIMARY KEY,
        type        text        NOT NULL,
        subject     text        NOT NULL,
        source      text        NOT NULL,
        payload     jsonb       NOT NULL,
        accepted_at timestamptz NOT NULL DEFAULT now()
      )`);
    await runner.query('CREATE INDEX events_subject_seq ON intake.events (subject, seq)');
    await createOutboxTable(runner, 'intake');
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP TABLE intake.outbox');
    await runner.query('DROP TABLE intake.events');
  }
}
