import { assertSchemaName } from '@ruta/persistence';
import type { MigrationInterface, QueryRunner } from 'typeorm';
import { createParkedMessagesTable } from '../parking/parked-messages.schema';

/** Parked messages for every service's consumers; the schema is the data source's own. */
export class CreateParkedMessages1764400000100 implements MigrationInterface {
  async up(runner: QueryRunner): Promise<void> {
    await createParkedMessagesTable(runner, schemaOf(runner));
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP TABLE "${schemaOf(runner)}".parked_messages`);
  }
}

function schemaOf(runner: QueryRunner): string {
  return assertSchemaName(String((runner.connection.options as { schema?: string }).schema));
}
