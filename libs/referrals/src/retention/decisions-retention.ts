import type { RetentionTask } from '@ruta/messaging';
import type { QueryRunner } from 'typeorm';

/**
 * Routing decisions older than `days`, except each person's latest per referral type: that one
 * still explains the referral (or its absence) the person has now.
 */
export function decisionsRetention(days: number): RetentionTask {
  return {
    table: 'decisions',
    async deleteChunk(runner: QueryRunner, schema: string, limit: number): Promise<number> {
      const [{ deleted }] = await runner.query(
        `WITH expired AS (
           SELECT o.id FROM "${schema}".decisions o
            WHERE o.decided_at < now() - make_interval(days => $1)
              AND EXISTS (
                SELECT 1 FROM "${schema}".decisions n
                 WHERE n.person_id = o.person_id AND n.referral_type = o.referral_type
                   AND (n.decided_at, n.id) > (o.decided_at, o.id))
            ORDER BY o.decided_at LIMIT $2),
         gone AS (DELETE FROM "${schema}".decisions d USING expired e WHERE d.id = e.id RETURNING 1)
         SELECT count(*)::int AS deleted FROM gone`,
        [days, limit],
      );
      return deleted;
    },
  };
}
