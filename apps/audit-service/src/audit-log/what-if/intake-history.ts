import {
  contractsByType,
  EVENT_JSON_LIMITS,
  INTAKE_EVENT_CONTRACTS,
  parseBoundedJson,
  readCloudEvent,
  Topics,
  type CloudEvent,
} from '@ruta/contracts';
import { AUDIT_SCHEMA } from '../audit.constants';
import type { Sql } from '../log/log-verifier';

const S = AUDIT_SCHEMA;
const CONTRACTS = contractsByType(INTAKE_EVENT_CONTRACTS);

/** Rows read per query: bounded memory whatever the log's length (the replay routes them 200 at a time). */
export const HISTORY_PAGE = 5_000;

/** One page of the history: its intake events in log order, and the rows that did not read as one. */
export interface HistoryPage {
  events: CloudEvent[];
  unreadable: number;
}

/** The history a replay goes through: the intake events the log holds now, up to the last one's position. */
export interface HistoryExtent {
  events: number;
  /** The last intake event's position (null: none yet); events appended later are not replayed. */
  through: string | null;
}

export async function historyExtent(sql: Sql): Promise<HistoryExtent> {
  const [row] = await sql<{ n: string; last: string | null }>(
    `SELECT count(*)::text AS n, max(position)::text AS last FROM ${S}.log WHERE topic = $1`,
    [Topics.intakeEvents],
  );
  return { events: Number(row?.n ?? 0), through: row?.last ?? null };
}

/**
 * The intake events of the audit log up to position `through`, in position order (each person's in the order the sectors
 * received them), page by page, read from their stored bytes as the sectors read them: bounded
 * JSON, checked against the intake contracts, older versions upcast to the latest.
 */
export async function* intakeHistory(sql: Sql, through: string, page = HISTORY_PAGE): AsyncGenerator<HistoryPage> {
  let after = '-1';
  for (;;) {
    const rows = await sql<{ position: string; bytes: Buffer }>(
      `SELECT position::text, bytes FROM ${S}.log WHERE topic = $1 AND position > $2 AND position <= $3
        ORDER BY log.position LIMIT $4`,
      [Topics.intakeEvents, after, through, page],
    );
    if (rows.length === 0) return;
    const events: CloudEvent[] = [];
    for (const row of rows) {
      const event = intakeEventOf(row.bytes);
      if (event) events.push(event);
    }
    yield { events, unreadable: rows.length - events.length };
    if (rows.length < page) return;
    after = rows[rows.length - 1]!.position;
  }
}

function intakeEventOf(bytes: Buffer): CloudEvent | null {
  const json = parseBoundedJson(bytes.toString('utf8'), EVENT_JSON_LIMITS);
  if (!json.ok) return null;
  const read = readCloudEvent(json.value, CONTRACTS);
  return read.ok ? read.event : null;
}
