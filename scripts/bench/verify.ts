import { q } from './database';
import { fmt, indent, out, table } from './output';
import { snapshot, type Snapshot, type Wanted } from './pipeline';
import { SECTORS } from './settings';

/** Nothing lost, nothing doubled: counts against what was accepted, one open referral per person and type. */
export async function verify(want: Wanted, base: Snapshot, published: number): Promise<{ ok: boolean }> {
  const rows: string[][] = [];
  let ok = true;
  const check = (what: string, actual: number, expected: number, good = actual === expected) => {
    rows.push([what, fmt(actual), fmt(expected), good ? 'ok' : 'FAIL']);
    if (!good) ok = false;
  };
  const s = await snapshot();
  check('intake.events rows', s.intake_events, want.events);
  const made: string[][] = [];
  for (const x of SECTORS) {
    const [r] = await q<{ n: number; distinct_n: number }>(
      `SELECT count(*)::int AS n, count(DISTINCT (person_id, type))::int AS distinct_n
         FROM ${x.schema}.referrals WHERE status IN ('requested', 'accepted', 'in-progress', 'on-hold')`,
    );
    check(`${x.sector}: inbox event ids`, s[`${x.schema}_inbox`], want.events);
    check(`${x.sector}: open referrals, distinct (person, type)`, r!.distinct_n, r!.n);
    const types = await q<{ type: string; n: number; cancelled: number }>(
      `SELECT type, count(*)::int AS n, count(*) FILTER (WHERE status = 'cancelled')::int AS cancelled
         FROM ${x.schema}.referrals GROUP BY type ORDER BY type`,
    );
    for (const t of types) made.push([x.sector, t.type, fmt(t.n), fmt(t.cancelled)]);
  }
  const [a] = await q<{ n: number; distinct_ids: number; intake: number; referral_events: number }>(
    `SELECT count(*)::int AS n, count(DISTINCT event_id)::int AS distinct_ids,
            count(*) FILTER (WHERE topic LIKE '%intake.events.v1')::int AS intake,
            count(*) FILTER (WHERE topic LIKE '%referrals.events.v1')::int AS referral_events
       FROM audit.log`,
  );
  check('audit: intake.events.v1 rows', a!.intake, want.events);
  check('audit: referrals.events.v1 rows (= messages on the topic)', a!.referral_events, published);
  check('audit: distinct event ids', a!.distinct_ids, a!.n);
  out(`\n   checks (whole database, warm-up included: ${fmt(base.intake_events)} events before this phase)`);
  out(indent(table(rows, ['check', 'actual', 'expected', ''])));
  out(`   => ${ok ? 'nothing lost, nothing doubled' : 'LOST OR DOUBLED EVENTS'}`);
  out('   referrals made (whole database)');
  out(indent(table(made, ['sector', 'type', 'referrals', 'cancelled'])));
  return { ok };
}
