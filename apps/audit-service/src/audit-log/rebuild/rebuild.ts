import { randomUUID } from 'node:crypto';
import {
  DECISION_CONSENT_OVERRIDDEN,
  INTAKE_EVENT_TYPES,
  PERSON_DEPARTED,
  REFERRAL_REFERRED_ONWARD,
  REFERRAL_REQUESTED,
  type CloudEvent,
  type Sector,
} from '@ruta/contracts';
import {
  createScratchSchema,
  diffProjections,
  dropScratchSchema,
  LoggedReferralIds,
  scratchSchemaName,
  SectorReplay,
  writeReplay,
  type DiffReport,
  type LoggedRequest,
  type ReplayPolicy,
  type Sql,
  sectorSchema,
} from '@ruta/referrals';
import { LIVE_RULE_SETS, loadReferenceData } from '@ruta/routing';
import { AUDIT_SCHEMA } from '../audit.constants';

/** Log positions read per query: one window's matching rows come back in one round trip. */
const WINDOW = 20_000;

export type RebuildPhase = 'replay' | 'write' | 'diff';

export interface RebuildProgress {
  phase: RebuildPhase;
  /** Log entries replayed through (of every topic: the sector's own are a part of them). */
  processed: number;
  total: number;
  eventsPerSecond: number;
  /** Seconds the replay still needs at its rate so far; 0 once it is done. */
  etaSeconds: number;
}

export interface RebuildOptions {
  sector: Sector;
  /** Names the scratch schema; a fresh id when not given. */
  jobId?: string;
  /** Keep the scratch schema after the diff (for an auditor to look into). */
  keep?: boolean;
  /** How many differences the report lists (all are counted). */
  reportLimit?: number;
  /** The sector's rule set and reference data; the ones the sector services run by default. */
  policy?: ReplayPolicy;
  onProgress?: (progress: RebuildProgress) => void | Promise<void>;
}

export interface RebuildResult extends DiffReport {
  sector: Sector;
  scratchSchema: string;
  kept: boolean;
  /** Log entries replayed through, and of those the events that concern the sector. */
  processed: number;
  applied: number;
  /** Casework events on a referral the log never requested (an anomaly of the log itself). */
  orphans: number;
  replaySeconds: number;
  eventsPerSecond: number;
  writeSeconds: number;
  diffSeconds: number;
}

/** The default policy of a sector: what SectorAppModule.forSector runs it with. */
export function defaultPolicy(sector: Sector): ReplayPolicy {
  return { sector, ruleSet: LIVE_RULE_SETS.sectors[sector], referenceData: loadReferenceData() };
}

const L = `"${AUDIT_SCHEMA}".log`;

/**
 * Rebuilds one sector's projections (person views, household memberships, referrals and their
 * timelines, decisions, SLA breaches) from the audit log into a scratch schema and diffs them with
 * the live schema (see SectorReplay for how, projection-tables.ts for what is compared).
 *
 * It reads the sector's schema in the same database as the log: the system runs one PostgreSQL
 * database. A deployment that split the schemas over databases would need a connection to each
 * sector's database for the scratch schema and the diff, and this module would take two Sql.
 *
 * The log is replayed up to its size when the rebuild starts. A live system keeps moving: a clean
 * rebuild needs the sector services caught up with the log (and nothing new arriving), else the
 * events in flight show as differences.
 */
export async function rebuildSector(sql: Sql, options: RebuildOptions): Promise<RebuildResult> {
  const { sector } = options;
  const live = sectorSchema(sector);
  const scratch = scratchSchemaName(live, options.jobId ?? randomUUID());
  const [{ end }] = (await sql<{ end: string }>(
    `SELECT COALESCE(max(position) + 1, 0)::bigint AS "end" FROM ${L}`,
  )) as [{ end: string }];
  const total = Number(end);
  const ahead = await lookahead(sql, sector, total);
  const replay = new SectorReplay(options.policy ?? defaultPolicy(sector), ahead.ids, ahead.departures);
  await createScratchSchema(sql, live, scratch);
  try {
    const started = Date.now();
    let replayRate = 0;
    /** Progress; past the replay, its rate stays the one the replay reached. */
    const report = async (phase: RebuildPhase, processed: number) => {
      const seconds = (Date.now() - started) / 1000;
      if (phase === 'replay') replayRate = seconds > 0 ? Math.round(processed / seconds) : 0;
      const etaSeconds = phase === 'replay' && replayRate > 0 ? Math.ceil((total - processed) / replayRate) : 0;
      await options.onProgress?.({ phase, processed, total, eventsPerSecond: replayRate, etaSeconds });
    };
    await report('replay', 0);
    let next = readWindow(sql, sector, 0, total);
    for (let from = 0; from < total; from += WINDOW) {
      const rows = await next;
      // The next window is read while this one is applied.
      next = from + WINDOW < total ? readWindow(sql, sector, from + WINDOW, total) : Promise.resolve([]);
      replay.apply(rows.map((r) => JSON.parse(r.json) as CloudEvent));
      await report('replay', Math.min(from + WINDOW, total));
    }
    replay.finish();
    const replaySeconds = (Date.now() - started) / 1000;
    await report('write', total);
    const written = Date.now();
    await writeReplay(sql, scratch, replay);
    const writeSeconds = (Date.now() - written) / 1000;
    await report('diff', total);
    const diffing = Date.now();
    const diff = await diffProjections(sql, live, scratch, options.reportLimit ?? 1000);
    return {
      sector,
      scratchSchema: scratch,
      kept: options.keep === true,
      processed: total,
      applied: replay.applied,
      orphans: replay.orphans,
      replaySeconds,
      eventsPerSecond: replaySeconds > 0 ? Math.round(total / replaySeconds) : 0,
      writeSeconds,
      diffSeconds: (Date.now() - diffing) / 1000,
      ...diff,
    };
  } finally {
    if (options.keep !== true) await dropScratchSchema(sql, scratch);
  }
}

/**
 * The log's entries in [from, from + WINDOW) that can concern the sector: every intake event (each
 * sector routes them all), the sector's own referral events, and every onward referral (one
 * addressed to the sector names it only inside its data).
 */
function readWindow(sql: Sql, sector: Sector, from: number, end: number): Promise<{ json: string }[]> {
  return sql<{ json: string }>(
    `SELECT convert_from(bytes, 'UTF8') AS json FROM ${L}
      WHERE position >= $1 AND position < $2 AND (type = ANY($3::text[]) OR sector = $4 OR type = $5)
      ORDER BY position`,
    [from, Math.min(from + WINDOW, end), INTAKE_EVENT_TYPES, sector, REFERRAL_REFERRED_ONWARD],
  );
}

/**
 * What the replay needs to know ahead of its position, in one scan of the log: the ids routing made
 * (the sector's referral.requested entries; those a supervisor's override made apart), and how many
 * departures each person has (routing cancels at a departure; see SectorReplay).
 */
async function lookahead(
  sql: Sql,
  sector: Sector,
  end: number,
): Promise<{ ids: LoggedReferralIds; departures: Map<string, number> }> {
  const rows = await sql<LoggedRequest & { type: string }>(
    `SELECT type, referral_id AS "referralId", subject AS "personId",
            CASE WHEN type = $1 THEN convert_from(bytes, 'UTF8')::jsonb->'data'->>'referralType' END AS "referralType"
       FROM ${L}
      WHERE position < $4 AND ((type = ANY($2::text[]) AND sector = $3) OR type = $5)
      ORDER BY position`,
    [REFERRAL_REQUESTED, [REFERRAL_REQUESTED, DECISION_CONSENT_OVERRIDDEN], sector, end, PERSON_DEPARTED],
  );
  const departures = new Map<string, number>();
  for (const r of rows)
    if (r.type === PERSON_DEPARTED) departures.set(r.personId, (departures.get(r.personId) ?? 0) + 1);
  const overridden = new Set(rows.filter((r) => r.type === DECISION_CONSENT_OVERRIDDEN).map((r) => r.referralId));
  const ids = new LoggedReferralIds(
    rows.filter((r) => r.type === REFERRAL_REQUESTED),
    overridden,
  );
  return { ids, departures };
}
