import { getJson } from '../http';
import type { ExpectedReferral, SectorName } from './policy-v1.oracle';

/** The fields of a held referral the comparison reads (interfaces item 5). */
export type HeldReferral = Pick<
  ExpectedReferral,
  'personId' | 'type' | 'priority' | 'status' | 'stationId' | 'servicePointId' | 'legalBasis' | 'cancellationReason'
>;

const COMPARED = ['priority', 'status', 'stationId', 'servicePointId', 'legalBasis', 'cancellationReason'] as const;

/** Every referral a sector holds, read page by page over its HTTP API (`headers`: a supervisor of the sector's). */
export async function readSectorReferrals(
  baseUrl: string,
  sector: SectorName,
  headers: () => Promise<Record<string, string>>,
): Promise<HeldReferral[]> {
  const held: HeldReferral[] = [];
  let after: string | undefined;
  do {
    const page = await getJson(
      `${baseUrl}/v1/${sector}/referrals?limit=100${after ? `&after=${after}` : ''}`,
      await headers(),
    );
    for (const r of page.items as Record<string, unknown>[]) {
      held.push({
        personId: String(r.personId),
        type: String(r.type),
        priority: r.priority as HeldReferral['priority'],
        status: r.status as HeldReferral['status'],
        stationId: (r.stationId as string | null | undefined) ?? null,
        servicePointId: String(r.servicePointId),
        legalBasis: r.legalBasis as HeldReferral['legalBasis'],
        cancellationReason: (r.cancellationReason as string | null | undefined) ?? null,
      });
    }
    after = page.nextCursor;
  } while (after);
  return held;
}

export interface SectorComparison {
  sector: SectorName;
  expected: number;
  held: number;
  missing: number;
  unexpected: number;
  doubled: number;
  differing: Record<string, number>;
  /** A few cases of each kind, by person id and type, with the routing fields that differ. */
  examples: string[];
}

/** Compares a sector's referrals with the oracle's, per (person, type). */
export function compareReferrals(
  sector: SectorName,
  expected: ExpectedReferral[],
  held: HeldReferral[],
): SectorComparison {
  const key = (r: { personId: string; type: string }) => `${r.personId} ${r.type}`;
  const want = new Map(expected.map((r) => [key(r), r]));
  const have = new Map<string, HeldReferral[]>();
  for (const r of held) have.set(key(r), [...(have.get(key(r)) ?? []), r]);
  const result: SectorComparison = {
    sector,
    expected: expected.length,
    held: held.length,
    missing: 0,
    unexpected: 0,
    doubled: 0,
    differing: {},
    examples: [],
  };
  const example = (kind: string, text: string) => {
    if (result.examples.filter((e) => e.startsWith(kind)).length < 3) result.examples.push(`${kind}: ${text}`);
  };
  for (const [k, w] of want) {
    const h = have.get(k);
    if (!h) {
      result.missing += 1;
      example('missing', `${k} (${w.status} at ${w.servicePointId})`);
      continue;
    }
    if (h.length > 1) {
      result.doubled += 1;
      example('doubled', `${k} held ${h.length} times`);
    }
    const fields = COMPARED.filter((f) => h[0]![f] !== w[f]);
    for (const f of fields) {
      result.differing[f] = (result.differing[f] ?? 0) + 1;
      example(`${f} differs`, `${k}: expected ${w[f]}, held ${h[0]![f]}`);
    }
  }
  for (const [k, h] of have) {
    if (want.has(k)) continue;
    result.unexpected += h.length;
    example('unexpected', `${k} (${h[0]!.status} at ${h[0]!.servicePointId})`);
  }
  return result;
}

/** True when a sector holds exactly what policy v1 gives. */
export const agrees = (c: SectorComparison) =>
  c.missing === 0 && c.unexpected === 0 && c.doubled === 0 && Object.keys(c.differing).length === 0;

/** Expected and held referrals per sector and type, as a table for the closing note. */
export function formatReferralFigures(
  rows: { sector: SectorName; expected: ExpectedReferral[]; held: HeldReferral[] }[],
): string {
  const lines = [['sector', 'type', 'expected', 'of which cancelled', 'held', 'held cancelled']];
  for (const { sector, expected, held } of rows) {
    const types = [...new Set([...expected, ...held].map((r) => r.type))].sort();
    for (const type of types) {
      const e = expected.filter((r) => r.type === type);
      const h = held.filter((r) => r.type === type);
      const cancelled = (xs: { status: string }[]) => String(xs.filter((r) => r.status === 'cancelled').length);
      lines.push([sector, type, String(e.length), cancelled(e), String(h.length), cancelled(h)]);
    }
    lines.push([sector, 'all', String(expected.length), '', String(held.length), '']);
  }
  const widths = lines[0]!.map((_, i) => Math.max(...lines.map((l) => l[i]!.length)));
  return lines
    .map((l) => l.map((c, i) => (i < 2 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  '))
    .join('\n');
}
