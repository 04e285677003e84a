import { Pool } from 'pg';
import { createTestDatabase } from '../../libs/testing/src/test-database';
import { onCleanup } from './cleanup';
import { note } from './output';
import { cfg } from './settings';

let pool: Pool | undefined;
let url: string | undefined;

/** A fresh database of the bench's own on the DATABASE_URL server, dropped at the end unless BENCH_KEEP_DB=1. */
export async function createBenchDatabase(): Promise<string> {
  const database = await createTestDatabase('bench');
  url = database.url;
  onCleanup(async () => {
    if (cfg.keep) return note(`BENCH_KEEP_DB=1: kept database ${databaseName()} (${url})`);
    await database.drop();
    note(`dropped database ${databaseName()}`);
  });
  pool = new Pool({ connectionString: url, max: 3 });
  onCleanup(() => pool?.end());
  return url;
}

export const databaseUrl = () => url!;
export const databaseName = () => new URL(url!).pathname.slice(1);

/** Rows of one statement on the bench database. */
export async function q<T = any>(sql: string, params?: unknown[]): Promise<T[]> {
  return (await pool!.query(sql, params)).rows as T[];
}
