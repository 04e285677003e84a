import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The log holds each event of a topic once, however often it was delivered (a producer retry, a
 * relay republishing after a crash): copies logged before this keep only their first place.
 */
export class AuditLogOncePerEvent1764500000002 implements MigrationInterface {
  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      DELETE FROM audit.audit_log later USING audit.audit_log first
      WHERE later.topic = first.topic AND later.event_id = first.event_id AND later.seq > first.seq`);
    await runner.query('CREATE UNIQUE INDEX audit_log_topic_event ON audit.audit_log (topic, event_id)');
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP INDEX audit.audit_log_topic_event');
  }
}
