import { CheckedSetting, IntegerSetting } from './config-rules';

/** A postgres:// URL with a host; the rest (database, user, options) is PostgreSQL's to judge. */
function isPostgresUrl(value: unknown): true | string {
  try {
    const url = new URL(String(value));
    if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') return 'the scheme is not postgres';
    return url.hostname ? true : 'it names no host';
  } catch {
    return 'it is not a URL';
  }
}

/** The service's PostgreSQL connection. */
export class PersistenceConfig {
  @CheckedSetting('isPostgresUrl', isPostgresUrl, 'a postgres://user@host:port/database URL')
  DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/ruta';

  @IntegerSetting(1, 1000)
  DATABASE_POOL_SIZE = 10;
}
