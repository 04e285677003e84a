import { DataSource, type DataSourceOptions, type MixedList } from 'typeorm';
import { assertSchemaName, databaseUrl } from './database-config';
import { RedactingQueryLogger } from './redacting-query-logger';

export interface ServiceDatabaseOptions {
  /** The schema this service owns; no other service writes to it. */
  schema: string;
  applicationName: string;
  migrations: MixedList<Function>;
  entities?: MixedList<Function>;
  url?: string;
  poolSize?: number;
}

export function serviceDataSourceOptions(options: ServiceDatabaseOptions): DataSourceOptions {
  return {
    type: 'postgres',
    url: options.url ?? databaseUrl(),
    schema: assertSchemaName(options.schema),
    applicationName: options.applicationName,
    entities: options.entities ?? [],
    migrations: options.migrations,
    migrationsTableName: 'migrations',
    synchronize: false,
    migrationsRun: false,
    // Failures are logged without their parameters (personal data); see RedactingQueryLogger.
    logger: new RedactingQueryLogger(),
    maxQueryExecutionTime: 5_000,
    extra: { max: options.poolSize ?? Number(process.env.DATABASE_POOL_SIZE ?? 10) },
  };
}

export function createServiceDataSource(options: ServiceDatabaseOptions): DataSource {
  return new DataSource(serviceDataSourceOptions(options));
}
