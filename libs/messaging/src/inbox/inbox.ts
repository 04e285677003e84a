import type { EntityManager } from 'typeorm';

/**
 * Records event ids as processed in the caller's transaction and returns those seen for the
 * first time: effects are applied only for these, so a redelivered event changes nothing.
 */
export async function claimInbox(manager: EntityManager, schema: string, eventIds: string[]): Promise<Set<string>> {
  if (eventIds.length === 0) return new Set();
  const rows: { event_id: string }[] = await manager.query(
    `INSERT INTO "${schema}".inbox (event_id) SELECT unnest($1::text[])
     ON CONFLICT DO NOTHING RETURNING event_id`,
    [eventIds],
  );
  return new Set(rows.map((r) => r.event_id));
}
