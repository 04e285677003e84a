import { PRIORITIES } from '@ruta/contracts';
import { OPEN_STATUSES } from '../domain/referral';

/**
 * A queue's order: priority (emergency 0, urgent 1, routine 2), then oldest first. The migration's
 * indexes are built on this very expression, so the planner reads a queue page off them in order.
 */
export function priorityRankSql(priority: string): string {
  return `(CASE ${priority} ${PRIORITIES.map((p, i) => `WHEN '${p}' THEN ${i}`).join(' ')} END)`;
}

/** The open statuses as a SQL literal list (constants, never a request's): the queue indexes' predicate. */
export const OPEN_STATUSES_SQL = `(${OPEN_STATUSES.map((s) => `'${s}'`).join(', ')})`;
