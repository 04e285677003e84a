import { PRIORITIES } from '@ruta/contracts';
import { SLA_MS, type SlaKind } from '../domain/lifecycle/sla';
import { OPEN_STATUSES_SQL } from '../queries/queue-order';

/**
 * slaOf's rules (domain/lifecycle/sla.ts) as SQL over a referrals row, so lists filter and order by
 * them: deadlines run from created_at at the current priority; acknowledge is met by acknowledged_at,
 * complete by finished_at, and closed_at stops both. Every value here comes from SLA_MS, never a request.
 */
function dueAt(kind: SlaKind, r: string): string {
  const cases = PRIORITIES.map((p) => `WHEN '${p}' THEN ${SLA_MS[p][kind]}`).join(' ');
  return `(${r}.created_at + (CASE ${r}.priority ${cases} END) * interval '1 millisecond')`;
}

const STOPPED_BY: Record<SlaKind, string> = { acknowledge: 'acknowledged_at', complete: 'finished_at' };

/** When a referral last stopped a clock (acknowledged, finished or closed), or NULL; indexed as referrals_settled. */
export const settledAtSql = (r?: string) => {
  const c = (column: string) => (r ? `${r}.${column}` : column);
  return `GREATEST(${c('acknowledged_at')}, ${c('finished_at')}, ${c('closed_at')})`;
};

/** The SQL of one referrals row's deadlines; `r` is the table's alias, `now` a timestamptz parameter such as `$3`. */
export function slaSql(r: string, now: string) {
  // A closed status stops the clocks even where closed_at was not written (routing's cancellations before issue 10).
  const open = (kind: SlaKind) =>
    `${r}.${STOPPED_BY[kind]} IS NULL AND ${r}.closed_at IS NULL AND ${r}.status IN ${OPEN_STATUSES_SQL}`;
  const missed = (kind: SlaKind) => `(${open(kind)} AND ${now}::timestamptz > ${dueAt(kind, r)})`;
  return {
    dueAt: (kind: SlaKind) => dueAt(kind, r),
    /** When the deadline's clock stopped (its step, else the close), or NULL while it runs. */
    doneAt: (kind: SlaKind) => `COALESCE(${r}.${STOPPED_BY[kind]}, ${r}.closed_at)`,
    /** The deadline still runs: its step has not happened and the referral is not closed. */
    open: (kind: SlaKind) => `(${open(kind)})`,
    missed,
    /** Whether any deadline is missed: the overdue filter. */
    overdue: `(${missed('acknowledge')} OR ${missed('complete')})`,
    /** The earliest missed deadline's kind (what a list flags), or NULL. */
    overdueKind: `(CASE WHEN ${missed('acknowledge')} THEN 'acknowledge' WHEN ${missed('complete')} THEN 'complete' END)`,
    /** When the earliest missed deadline passed, or NULL: how overdue a referral is. */
    overdueSince: `(CASE WHEN ${missed('acknowledge')} THEN ${dueAt('acknowledge', r)} WHEN ${missed('complete')} THEN ${dueAt('complete', r)} END)`,
  };
}
