import { assertSchemaName } from '@ruta/persistence';
import type { MigrationInterface, QueryRunner } from 'typeorm';
import { OPEN_STATUSES_SQL, priorityRankSql } from '../queries/queue-order';
import { settledAtSql } from '../sla/sla-sql';

/**
 * - referrals_queue_point, referrals_queue_sector: a service point's queue and a sector's whole queue
 *   (supervisors) are read in queue order, open referrals by priority rank then oldest first. Partial
 *   on the open statuses, so closed referrals, the bulk of the table in time, cost the queue nothing.
 * - referrals_settled: when a referral last stopped an SLA clock, so the scheduler finds the clocks
 *   stopped after their deadline since its previous scan without reading the table (only referrals
 *   with a stopped clock are in it).
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
    // Partial: a referral enters it only once a clock stopped, so routing's inserts never touch it.
    await runner.query(
      `CREATE INDEX referrals_settled ON "${s}".referrals ((${settledAtSql()})) WHERE ${settledAtSql()} IS NOT NULL`,
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    const s = schemaOf(runner);
    for (const index of ['referrals_settled', 'referrals_queue_sector', 'referrals_queue_point']) {
      await runner.query(`DROP INDEX "${s}"."${index}"`);
    }
  }
}

function schemaOf(runner: QueryRunner): string {
  return assertSchemaName(String((runner.connection.options as { schema?: string }).schema));
}
