import { PROJECTION_TABLES, type ProjectionTable, type Sql } from './projection-tables';

/**
 * One difference between a live row and its rebuilt twin: the table, the row's natural key, the
 * column (`(row)` when the row is on one side only) and both values. Ids, codes, numbers and times
 * only: a jsonb column that may hold personal facts is reported by the names of its differing
 * fields (`fields`), with no values.
 */
export interface Difference {
  table: string;
  key: Record<string, string>;
  column: string;
  live: string | null;
  rebuilt: string | null;
  fields?: string[];
}

export interface DiffReport {
  /** Every difference counted (a missing or extra row counts once). */
  differences: number;
  byTable: Record<string, number>;
  /** The first `limit` differences, by table then key. */
  report: Difference[];
}

const PRESENT = 'present';
const ABSENT = 'absent';

/** `live` and `rebuilt` side by side, one row per key that differs; `d<i>` says whether column i differs. */
function joined(spec: ProjectionTable, live: string, rebuilt: string): string {
  const side = (schema: string) =>
    `SELECT ${spec.key.map((k, i) => `${k.expr} AS k${i}`).join(', ')}, true AS present,
            ${spec.columns.map((c, i) => `${c.expr} AS c${i}`).join(', ')}
       FROM "${schema}"."${spec.table}" t`;
  const differs = spec.columns.map((c, i) => {
    const distinct = `l.c${i} IS DISTINCT FROM b.c${i}`;
    return `COALESCE(${c.knownWhen ? `(${c.knownWhen(`b.c${i}`)}) AND ${distinct}` : distinct}, false) AS d${i}`;
  });
  return `
    WITH l AS (${side(live)}), b AS (${side(rebuilt)})
    SELECT * FROM (
      SELECT ${spec.key.map((_, i) => `COALESCE(l.k${i}, b.k${i})::text AS k${i}`).join(', ')},
             COALESCE(l.present, false) AS in_live, COALESCE(b.present, false) AS in_rebuilt,
             ${spec.columns.map((_, i) => `l.c${i} AS l${i}, b.c${i} AS b${i}`).join(', ')},
             ${differs.join(', ')}
        FROM l FULL JOIN b ON ${spec.key.map((_, i) => `l.k${i} = b.k${i}`).join(' AND ')}) x
     WHERE NOT (in_live AND in_rebuilt) OR ${spec.columns.map((_, i) => `d${i}`).join(' OR ')}`;
}

type JoinedRow = Record<string, unknown> & { in_live: boolean; in_rebuilt: boolean };

/** The top-level fields two jsonb objects differ in. */
function fieldsOf(a: unknown, b: unknown): string[] {
  const left = (a ?? {}) as Record<string, unknown>;
  const right = (b ?? {}) as Record<string, unknown>;
  return [...new Set([...Object.keys(left), ...Object.keys(right)])]
    .filter((k) => JSON.stringify(left[k]) !== JSON.stringify(right[k]))
    .sort();
}

const shown = (value: unknown): string | null => (value === null || value === undefined ? null : String(value));

function differencesOf(spec: ProjectionTable, row: JoinedRow): Difference[] {
  const key = Object.fromEntries(spec.key.map((k, i) => [k.name, String(row[`k${i}`])]));
  if (!row.in_live || !row.in_rebuilt) {
    const where = { live: row.in_live ? PRESENT : ABSENT, rebuilt: row.in_rebuilt ? PRESENT : ABSENT };
    return [{ table: spec.table, key, column: '(row)', ...where }];
  }
  return spec.columns.flatMap((c, i) => {
    if (!row[`d${i}`]) return [];
    if (c.json) {
      const fields = fieldsOf(row[`l${i}`], row[`b${i}`]);
      return [{ table: spec.table, key, column: c.name, live: null, rebuilt: null, fields }];
    }
    return [{ table: spec.table, key, column: c.name, live: shown(row[`l${i}`]), rebuilt: shown(row[`b${i}`]) }];
  });
}

/**
 * Compares every projection table of `live` with its rebuilt copy in `rebuilt`, in SQL (a full join
 * on the natural key): counts all differences, and reads back the first `limit` of them.
 */
export async function diffProjections(sql: Sql, live: string, rebuilt: string, limit = 1000): Promise<DiffReport> {
  const result: DiffReport = { differences: 0, byTable: {}, report: [] };
  for (const spec of PROJECTION_TABLES) {
    const base = joined(spec, live, rebuilt);
    const flags = spec.columns.map((_, i) => `d${i}::int`).join(' + ');
    const [counted] = await sql<{ n: string }>(
      `SELECT COALESCE(sum(CASE WHEN in_live AND in_rebuilt THEN ${flags} ELSE 1 END), 0)::bigint AS n FROM (${base}) d`,
    );
    const n = Number(counted!.n);
    result.byTable[spec.table] = n;
    result.differences += n;
    const room = limit - result.report.length;
    if (n === 0 || room <= 0) continue;
    const order = spec.key.map((_, i) => `k${i}`).join(', ');
    const rows = await sql<JoinedRow>(`${base} ORDER BY ${order} LIMIT ${room}`);
    for (const row of rows) result.report.push(...differencesOf(spec, row));
    result.report.length = Math.min(result.report.length, limit);
  }
  return result;
}
