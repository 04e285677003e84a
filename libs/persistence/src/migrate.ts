import type { DataSource } from 'typeorm';
import { assertSchemaName } from './database-config';

/**
 * Creates the service's schema and runs its pending migrations, serialised across replicas by a
 * session advisory lock so two instances starting together never race on the same schema.
 */
export async function migrateSchema(dataSource: DataSource, schema: string): Promise<string[]> {
  assertSchemaName(schema);
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    await runner.query('SELECT pg_advisory_lock(hashtext($1))', [`ruta.migrate.${schema}`]);
    await runner.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
    const applied = await dataSource.runMigrations({ transaction: 'each' });
    return applied.map((m) => m.name);
  } finally {
    await runner.query('SELECT pg_advisory_unlock(hashtext($1))', [`ruta.migrate.${schema}`]).catch(() => undefined);
    await runner.release();
  }
}
