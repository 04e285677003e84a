import { assertSchemaName } from '@ruta/persistence';
import { PROJECTION_TABLES, type Sql } from './projection-tables';
import type { SectorReplay } from './sector-replay';

/** Rows per INSERT: one round trip carries this many rows as one JSON array. */
const CHUNK = 5000;

/** The scratch schema of one rebuild: `rebuild_<sector schema>_<job id without dashes>`. */
export function scratchSchemaName(sectorSchema: string, jobId: string): string {
  return assertSchemaName(`rebuild_${sectorSchema}_${jobId.replace(/-/g, '')}`);
}

/**
 * The projection tables of the live schema, again, empty, in `scratch`: `LIKE` copies the live
 * columns, types and NOT NULL constraints whatever migration the live schema is at, and nothing
 * else on purpose: no defaults (decisions' bigserial would draw on the live sequence), and no
 * indexes or unique constraints, so a log that implies what the live schema forbids (two open
 * referrals of a type) is loaded and reported rather than refused halfway.
 */
export async function createScratchSchema(sql: Sql, live: string, scratch: string): Promise<void> {
  await sql(`CREATE SCHEMA "${assertSchemaName(scratch)}"`);
  for (const { table } of PROJECTION_TABLES) {
    await sql(`CREATE TABLE "${scratch}"."${table}" (LIKE "${assertSchemaName(live)}"."${table}")`);
  }
}

export async function dropScratchSchema(sql: Sql, scratch: string): Promise<void> {
  await sql(`DROP SCHEMA IF EXISTS "${assertSchemaName(scratch)}" CASCADE`);
}

/** Inserts rows in chunks: each chunk one statement reading a JSON array with jsonb_to_recordset. */
async function insertAll<R>(
  sql: Sql,
  target: string,
  columns: string,
  record: string,
  rows: Iterable<R>,
  toJson: (row: R, index: number) => Record<string, unknown>,
): Promise<void> {
  let chunk: Record<string, unknown>[] = [];
  let index = 0;
  const send = async () => {
    if (chunk.length === 0) return;
    await sql(
      `INSERT INTO ${target} (${columns}) SELECT ${columns} FROM jsonb_to_recordset($1::jsonb) AS r(${record})`,
      [JSON.stringify(chunk)],
    );
    chunk = [];
  };
  for (const row of rows) {
    chunk.push(toJson(row, index++));
    if (chunk.length >= CHUNK) await send();
  }
  await send();
}

const timeOr = (at: string | null) => (at ? at : null);

/**
 * Writes what the replay rebuilt into the scratch tables. Columns the diff does not compare (row
 * write times, the timeline's data) get what the replay knows (event times) or a neutral value.
 */
export async function writeReplay(sql: Sql, scratch: string, replay: SectorReplay): Promise<void> {
  const t = (table: string) => `"${assertSchemaName(scratch)}"."${table}"`;
  const now = new Date().toISOString();
  await insertAll(
    sql,
    t('person_view'),
    'person_id, view, updated_at',
    'person_id text, view jsonb, updated_at timestamptz',
    replay.views.values(),
    (v) => ({ person_id: v.personId, view: v, updated_at: now }),
  );
  await insertAll(
    sql,
    t('household_members'),
    'person_id, head_person_id, household_size, seq, updated_at',
    'person_id text, head_person_id text, household_size int, seq bigint, updated_at timestamptz',
    replay.memberships.entries(),
    ([person, m]) => ({
      person_id: person,
      head_person_id: m.headPersonId,
      household_size: m.size,
      seq: m.seq,
      updated_at: now,
    }),
  );
  await insertAll(
    sql,
    t('referrals'),
    `id, person_id, sector, type, priority, status, service_point_id, station_id, legal_basis, rule_set_version,
     decision_inputs, source_event_id, version, created_at, updated_at, cancellation_reason, assignee,
     acknowledged_at, accepted_at, started_at, closed_at, finished_at, hold, outcome, close_reason`,
    `id uuid, person_id text, sector text, type text, priority text, status text, service_point_id text,
     station_id text, legal_basis text, rule_set_version text, decision_inputs jsonb, source_event_id text,
     version int, created_at timestamptz, updated_at timestamptz, cancellation_reason text, assignee text,
     acknowledged_at timestamptz, accepted_at timestamptz, started_at timestamptz, closed_at timestamptz,
     finished_at timestamptz, hold jsonb, outcome jsonb, close_reason jsonb`,
    replay.referrals.values(),
    (r) => ({
      id: r.id,
      person_id: r.personId,
      sector: r.sector,
      type: r.type,
      priority: r.priority,
      status: r.status,
      service_point_id: r.servicePointId,
      station_id: r.stationId,
      legal_basis: r.legalBasis,
      rule_set_version: r.ruleSetVersion,
      decision_inputs: r.decisionInputs,
      source_event_id: r.sourceEventId,
      version: r.version,
      created_at: timeOr(r.requestedAt) ?? now,
      updated_at: timeOr(r.updatedAt) ?? now,
      cancellation_reason: r.cancellationReason,
      assignee: r.assignee,
      acknowledged_at: r.acknowledgedAt,
      accepted_at: r.acceptedAt,
      started_at: r.startedAt,
      closed_at: timeOr(r.closedAt),
      finished_at: r.finishedAt,
      hold: r.hold,
      outcome: r.outcome,
      close_reason: r.closeReason,
    }),
  );
  await insertAll(
    sql,
    t('referral_events'),
    'id, referral_id, version, type, actor, at, data',
    'id bigint, referral_id uuid, version int, type text, actor text, at timestamptz, data jsonb',
    replay.timeline,
    (e, i) => ({
      id: i + 1,
      referral_id: e.referralId,
      version: e.version,
      type: e.type,
      actor: e.actor,
      at: timeOr(e.at) ?? now,
      data: {},
    }),
  );
  await insertAll(
    sql,
    t('decisions'),
    'id, person_id, referral_type, rule_set_version, outcome, reason, legal_basis, inputs, event_id, referral_id, decided_at, actor',
    `id bigint, person_id text, referral_type text, rule_set_version text, outcome text, reason text, legal_basis text,
     inputs jsonb, event_id text, referral_id uuid, decided_at timestamptz, actor text`,
    replay.decisions,
    (d, i) => ({
      id: i + 1,
      person_id: d.personId,
      referral_type: d.referralType,
      rule_set_version: d.ruleSetVersion,
      outcome: d.outcome,
      reason: d.reason,
      legal_basis: d.legalBasis,
      inputs: d.inputs,
      event_id: d.eventId,
      referral_id: d.referralId,
      decided_at: timeOr(d.at) ?? now,
      actor: d.actor,
    }),
  );
  await insertAll(
    sql,
    t('sla_breaches'),
    'referral_id, kind, due_at, raised_at',
    'referral_id uuid, kind text, due_at timestamptz, raised_at timestamptz',
    replay.breaches.values(),
    (b) => ({ referral_id: b.referralId, kind: b.kind, due_at: b.dueAt, raised_at: now }),
  );
}
