export type { Sql } from '@ruta/persistence';

/** A column the diff compares: its SQL over the table (alias t), and whether its value may be shown. */
export interface ComparedColumn {
  name: string;
  expr: string;
  /**
   * jsonb that may hold personal facts (a view, a rule's inputs): compared whole, reported by the
   * top-level fields that differ, never by value.
   */
  json?: boolean;
  /** Compared only where this holds of the rebuilt value (`b` is its SQL): the log does not always carry it. */
  knownWhen?: (b: string) => string;
}

/** One projection table: its natural key, what the diff compares, and what it leaves out and why. */
export interface ProjectionTable {
  table: string;
  key: { name: string; expr: string }[];
  columns: ComparedColumn[];
  excluded: Record<string, string>;
}

const iso = (column: string) => `to_char(t.${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;
const plain = (...names: string[]): ComparedColumn[] => names.map((name) => ({ name, expr: `t.${name}` }));
const ROW_WRITE_TIME = 'when the row was written (the database clock or the replay), not a fact of the log';

/**
 * What a rebuild makes again and compares, per table of a sector schema. Keys are natural: a
 * referral's id (routing's uuid, named by the log's referral events); a decision's person, event,
 * rule and outcome (its bigserial id is insertion order across concurrent partitions, not a fact).
 * Not rebuilt: inbox, outbox, idempotency_keys, person_locks and parked messages (delivery
 * bookkeeping, not projections of the log).
 */
export const PROJECTION_TABLES: readonly ProjectionTable[] = [
  {
    table: 'person_view',
    key: [{ name: 'person_id', expr: 't.person_id' }],
    columns: [{ name: 'view', expr: 't.view', json: true }],
    excluded: { updated_at: ROW_WRITE_TIME },
  },
  {
    table: 'household_members',
    key: [{ name: 'person_id', expr: 't.person_id' }],
    columns: plain('head_person_id', 'household_size', 'seq'),
    excluded: { updated_at: ROW_WRITE_TIME },
  },
  {
    table: 'referrals',
    key: [{ name: 'id', expr: 't.id::text' }],
    columns: [
      ...plain('person_id', 'sector', 'type', 'priority', 'status', 'service_point_id', 'station_id', 'legal_basis'),
      ...plain('rule_set_version', 'source_event_id', 'version', 'assignee', 'cancellation_reason'),
      { name: 'decision_inputs', expr: 't.decision_inputs', json: true },
      ...['acknowledged_at', 'accepted_at', 'started_at', 'finished_at'].map((name) => ({ name, expr: iso(name) })),
      { name: 'hold.code', expr: `t.hold->>'code'` },
      { name: 'outcome.code', expr: `t.outcome->>'code'` },
      { name: 'close_reason.code', expr: `t.close_reason->>'code'` },
    ],
    excluded: {
      created_at: `routing stamps it with the database clock, its referral.requested with the service's: ${ROW_WRITE_TIME}`,
      updated_at: ROW_WRITE_TIME,
      closed_at: "routing's cancellation stamps it with the database clock, not the published cancelledAt",
      'hold.note, outcome.note, close_reason.note': 'free text a caseworker wrote: never published, so not in the log',
    },
  },
  {
    table: 'referral_events',
    key: [
      { name: 'referral_id', expr: 't.referral_id::text' },
      { name: 'version', expr: 't.version' },
    ],
    columns: [
      { name: 'type', expr: 't.type' },
      { name: 'actor', expr: 't.actor', knownWhen: (b) => `${b} <> ''` },
    ],
    excluded: {
      id: 'insertion order',
      at: "routing's rows carry the database clock",
      data: "the caseworker's note and routing's own bookkeeping: not published",
      'actor of referral.cancelled by casework and of referral.referred-onward':
        'their published data names no actor (compared where it does)',
    },
  },
  {
    table: 'decisions',
    key: [
      { name: 'person_id', expr: 't.person_id' },
      { name: 'event_id', expr: 't.event_id' },
      { name: 'referral_type', expr: 't.referral_type' },
      { name: 'outcome', expr: 't.outcome' },
      {
        name: 'n',
        expr: 'row_number() OVER (PARTITION BY t.person_id, t.event_id, t.referral_type, t.outcome ORDER BY t.id)',
      },
    ],
    columns: [
      ...plain('rule_set_version', 'reason', 'legal_basis'),
      { name: 'referral_id', expr: 't.referral_id::text' },
      { name: 'actor', expr: 't.actor' },
      { name: 'inputs', expr: 't.inputs', json: true },
    ],
    excluded: {
      id: 'a bigserial: insertion order across concurrently routed partitions',
      decided_at: ROW_WRITE_TIME,
    },
  },
  {
    table: 'sla_breaches',
    key: [
      { name: 'referral_id', expr: 't.referral_id::text' },
      { name: 'kind', expr: 't.kind' },
    ],
    columns: [{ name: 'due_at', expr: iso('due_at') }],
    excluded: { raised_at: 'when a scheduler scan raised it' },
  },
];
