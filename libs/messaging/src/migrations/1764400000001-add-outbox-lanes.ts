import { assertSchemaName } from '@ruta/persistence';
import type { MigrationInterface, QueryRunner } from 'typeorm';
import { addOutboxLanes } from '../outbox/outbox.schema';

/** Outbox lanes for every service's outbox; the schema is the data source's own. */
export class AddOutboxLanes1764400000001 implements MigrationInterface {
  async up(runner: QueryRunner): Promise<void> {
    await addOutboxLanes(runner, schemaOf(runner));
  }

  async down(runner: QueryRunner): Promise<void> {
    const s = schemaOf(runner);
    await runner.query(`DROP INDEX "${s}".outbox_lane_id`);
    await runner.query(`ALTER TABLE "${s}".outbox DROP COLUMN lane`);
  }
}

function schemaOf(runner: QueryRunner): string {
  return assertSchemaName(String((runner.connection.options as { schema?: string }).schema));
}
