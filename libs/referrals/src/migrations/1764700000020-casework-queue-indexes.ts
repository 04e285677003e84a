import { assertSchemaName } from '@ruta/persistence';
import type { MigrationInterface, QueryRunner } from 'typeorm';
import { OPEN_STATUSES_SQL, priorityRankSql } from '../queries/queue-order';

/**
 * A service point's queue and a sector's whole queue (supervisors) are read in queue order: open
 * referrals by priority rank, then oldest first. Partial on the open statuses, so closed referrals,
 * the bulk of the table in time, cost the queue nothing.
 */
export class CaseworkQueueIndexes1764700000020 implements MigrationInterface {
  async up(runner: QueryRunner): Promise<void> {
    const s = schemaOf(runner);
    const rank = priorityRankSql('priority');
    await runner.query(
      `CREATE INDEX referrals_queue_point ON "${s}".referrals (service_point_id, ${rank}, created_at, id)
        WHERE status IN ${OPEN_STATUSES_SQL}`,
    );
    await runner.query(
      `CREATE INDEX referrals_queue_sector ON "${s}".referrals (${rank}, created_at, id)
        WHERE status IN ${OPEN_STATUSES_SQL}`,
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    const s = schemaOf(runner);
    for (const index of ['referrals_queue_sector', 'referrals_queue_point']) {
      await runner.query(`DROP INDEX "${s}"."${index}"`);
    }
  }
}

function schemaOf(runner: QueryRunner): string {
  return assertSchemaName(String((runner.connection.options as { schema?: string }).schema));
}
