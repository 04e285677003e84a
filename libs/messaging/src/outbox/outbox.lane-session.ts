import type { DataSource, QueryRunner } from 'typeorm';
import { OUTBOX_LANES } from './outbox.schema';

/**
 * The relay's own database session. It holds outbox lanes with session-level advisory locks, so
 * no transaction stays open while Kafka is slow or away, and runs each statement in autocommit.
 * A session whose statement failed is closed, not pooled: its locks die with it, and the next
 * hold() opens a fresh one.
 */
export class OutboxLaneSession {
  private runner?: QueryRunner;

  constructor(
    private readonly dataSource: DataSource,
    private readonly schema: string,
  ) {}

  /** Locks every lane no other session holds and returns them (none when all are taken). */
  async hold(): Promise<number[]> {
    if (!this.runner || this.runner.isReleased) {
      const runner = this.dataSource.createQueryRunner('master');
      // A runner whose connect failed keeps the failed promise: drop it, the next hold() retries.
      await runner.connect().catch(async (error: unknown) => {
        await runner.release().catch(() => undefined);
        throw error;
      });
      this.runner = runner;
    }
    const [{ lanes }] = await this.query<{ lanes: number[] | null }[]>(
      `SELECT array_agg(l) AS lanes FROM generate_series(0, $2::int - 1) AS l
       WHERE pg_try_advisory_lock(hashtext($1), l)`,
      [`ruta.outbox.${this.schema}`, OUTBOX_LANES],
    );
    return lanes ?? [];
  }

  /** One autocommit statement on this session; a failure closes the session (and frees its lanes). */
  async query<T>(sql: string, params: unknown[]): Promise<T> {
    const runner = this.runner;
    if (!runner || runner.isReleased) throw new Error('outbox relay session is closed');
    try {
      return (await runner.query(sql, params)) as T;
    } catch (error) {
      await this.close(error);
      throw error;
    }
  }

  /** Lets other relays take the lanes; never throws (a session that cannot unlock is closed). */
  async release(lanes: number[]): Promise<void> {
    if (lanes.length === 0 || !this.runner || this.runner.isReleased) return;
    await this.query(`SELECT pg_advisory_unlock(hashtext($1), l) FROM unnest($2::int[]) AS l`, [
      `ruta.outbox.${this.schema}`,
      lanes,
    ]).catch(() => undefined);
  }

  /** Closes the connection rather than pooling it, so no advisory lock outlives the session. */
  async close(reason: unknown = new Error('outbox relay stopped')): Promise<void> {
    const runner = this.runner;
    this.runner = undefined;
    if (!runner || runner.isReleased) return;
    // pg-pool ends a client released with an error instead of handing it to the next caller.
    await (runner as unknown as { releasePostgresConnection(error: unknown): Promise<void> }).releasePostgresConnection(
      reason,
    );
  }
}
