import { CheckedSetting, IntegerSetting, readUrlSetting } from './config-rules';

/** A postgres:// URL with a host; the rest (database, user, options) is PostgreSQL's to judge. */
function isPostgresUrl(value: unknown): true | string {
  const url = readUrlSetting(value, ['postgres:', 'postgresql:'], 'postgres');
  return typeof url === 'string' ? url : true;
}

/** The service's PostgreSQL connection. */
export class PersistenceConfig {
  @CheckedSetting('isPostgresUrl', isPostgresUrl, 'a postgres://user@host:port/database URL')
  DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/ruta';

  @IntegerSetting(1, 1000)
  DATABASE_POOL_SIZE = 10;
}
