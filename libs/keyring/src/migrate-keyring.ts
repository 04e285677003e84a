import { createServiceDataSource, migrateSchema } from '@ruta/persistence';
import type { DataSource } from 'typeorm';
import { CreateKeyring1764900000000 } from './migrations/1764900000000-create-keyring';

export const KEYRING_SCHEMA = 'keyring';

/** The keyring's migrations, recorded in keyring.migrations: one history whichever service runs them. */
export const KEYRING_MIGRATIONS = [CreateKeyring1764900000000];

/**
 * Migrates the keyring schema. The gateway and every sector service seal with it, and any of them
 * may start first (a sector alone in its tests, or before the gateway in a deployment), so each runs
 * this at start-up: migrateSchema's advisory lock (`ruta.migrate.keyring`) lets one migrate while
 * the others wait, then find nothing pending. A short-lived connection of its own, on the service's
 * database, because TypeORM keeps a migration history per schema.
 */
export async function migrateKeyring(service: DataSource, applicationName: string): Promise<string[]> {
  const url = (service.options as { url?: string }).url;
  const dataSource = createServiceDataSource({
    schema: KEYRING_SCHEMA,
    applicationName,
    migrations: KEYRING_MIGRATIONS,
    // migrateSchema holds its lock on one connection while the migrations run on another.
    poolSize: 2,
    ...(url ? { url } : {}),
  });
  await dataSource.initialize();
  try {
    return await migrateSchema(dataSource, KEYRING_SCHEMA);
  } finally {
    await dataSource.destroy();
  }
}
