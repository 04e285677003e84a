import type { QueryRunner } from 'typeorm';
import type { RetentionTask } from './retention.job';

/**
 * Inbox rows (event ids a consumer applied) older than `days`. The window must outlast the topics'
 * retention (Kafka's 7 days): a message still on a topic can be redelivered, and only its inbox
 * row tells the consumer it was applied already.
 */
export function inboxRetention(days: number): RetentionTask {
  return {
    table: 'inbox',
    async deleteChunk(runner: QueryRunner, schema: string, limit: number): Promise<number> {
      const [{ deleted }] = await runner.query(
        `WITH expired AS (
           SELECT event_id FROM "${schema}".inbox
            WHERE processed_at < now() - make_interval(days => $1)
            ORDER BY processed_at LIMIT $2),
         gone AS (DELETE FROM "${schema}".inbox i USING expired e WHERE i.event_id = e.event_id RETURNING 1)
         SELECT count(*)::int AS deleted FROM gone`,
        [days, limit],
      );
      return deleted;
    },
  };
}
