import type { EntityManager } from 'typeorm';

/**
 * Holds the people's rows of person_locks until the transaction ends, taken in one global order so
 * two transactions never deadlock. Routing and casework both take them first: whatever they do to
 * one person's referrals happens one transaction after the other.
 */
export async function lockPeople(manager: EntityManager, schema: string, people: readonly string[]): Promise<void> {
  await manager.query(
    `INSERT INTO "${schema}".person_locks (person_id)
     SELECT DISTINCT p COLLATE "C" FROM unnest($1::text[]) AS p ORDER BY 1
     ON CONFLICT (person_id) DO UPDATE SET person_id = EXCLUDED.person_id WHERE false`,
    [people],
  );
}
