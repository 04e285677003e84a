import { assertSchemaName } from '@ruta/persistence';
import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Referrals keep why they were cancelled, and the list's selective filters get indexes in its
 * (created_at, id) order. decisions_person (person_id, id) already serves the decisions query.
 */
export class ReferralCancellationAndListIndexes1764600000000 implements MigrationInterface {
  async up(runner: QueryRunner): Promise<void> {
    const s = schemaOf(runner);
    await runner.query(`ALTER TABLE "${s}".referrals ADD COLUMN cancellation_reason text`);
    // A person's referrals and a service point's or station's queue in one status are range scans already in
    // page order; type, priority and status alone are a handful of values each, read off referrals_created.
    await runner.query(`CREATE INDEX referrals_person ON "${s}".referrals (person_id, created_at, id)`);
    await runner.query(
      `CREATE INDEX referrals_service_point_queue ON "${s}".referrals (service_point_id, status, created_at, id)`,
    );
    await runner.query(`CREATE INDEX referrals_station_queue ON "${s}".referrals (station_id, status, created_at, id)`);
  }

  async down(runner: QueryRunner): Promise<void> {
    const s = schemaOf(runner);
    for (const index of ['referrals_station_queue', 'referrals_service_point_queue', 'referrals_person']) {
      await runner.query(`DROP INDEX "${s}"."${index}"`);
    }
    await runner.query(`ALTER TABLE "${s}".referrals DROP COLUMN cancellation_reason`);
  }
}

function schemaOf(runner: QueryRunner): string {
  return assertSchemaName(String((runner.connection.options as { schema?: string }).schema));
}
