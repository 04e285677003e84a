import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Append-only log of every event on every topic; hash chaining arrives with the audit issue. */
export class CreateAuditSchema1764300000002 implements MigrationInterface {
  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE audit.audit_log (
        seq          bigserial PRIMARY KEY,
        topic        text        NOT NULL,
        partition    integer     NOT NULL,
        kafka_offset bigint      NOT NULL,
        event_id     text        NOT NULL,
        type         text        NOT NULL,
        subject      text        NOT NULL,
        source       text        NOT NULL,
        event_time   timestamptz,
        payload      jsonb       NOT NULL,
        received_at  timestamptz NOT NULL DEFAULT now(),
        UNIQUE (topic, partition, kafka_offset)
      )`);
    await runner.query('CREATE INDEX audit_log_subject_seq ON audit.audit_log (subject, seq)');
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP TABLE audit.audit_log');
  }
}
