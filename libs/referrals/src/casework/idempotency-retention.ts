import type { RetentionTask } from '@ruta/messaging';
import type { QueryRunner } from 'typeorm';

/**
 * How long an Idempotency-Key's answer is kept: a client retries within minutes, a day covers an
 * outage; after it the same key is a new request. Fixed, so the table stays bounded.
 */
export const IDEMPOTENCY_KEY_HOURS = 24;

/** Answers kept for Idempotency-Key retries, once past IDEMPOTENCY_KEY_HOURS, oldest first. */
export function idempotencyKeysRetention(hours = IDEMPOTENCY_KEY_HOURS): RetentionTask {
  return {
    table: 'idempotency_keys',
    async deleteChunk(runner: QueryRunner, schema: string, limit: number): Promise<number> {
      const [{ deleted }] = await runner.query(
        `WITH expired AS (
           SELECT caller, key FROM "${schema}".idempotency_keys
            WHERE created_at < now() - make_interval(hours => $1)
            ORDER BY created_at LIMIT $2),
         gone AS (DELETE FROM "${schema}".idempotency_keys k USING expired e
                   WHERE k.caller = e.caller AND k.key = e.key RETURNING 1)
         SELECT count(*)::int AS deleted FROM gone`,
        [hours, limit],
      );
      return deleted;
    },
  };
}
