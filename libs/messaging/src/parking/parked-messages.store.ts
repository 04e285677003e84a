import type { IHeaders } from 'kafkajs';
import type { EntityManager } from 'typeorm';
import type { ConsumedMessage } from '../consumer/consumed-message';

/** A parked message as operators see it: its position and why, never its key or content. */
export interface ParkedEntry {
  group: string;
  topic: string;
  partition: number;
  offset: string;
  code: string;
  errorClass: string | null;
  parkedAt: string;
}

/** Which parked messages an operator means: a group's, a topic's, or one key's (named by a parked position). */
export interface ParkedSelector {
  topic?: string;
  partition?: number;
  offset?: string;
}

/** One key's parked messages on one topic; a message without a key is a lane of its own. */
export interface ParkedLane {
  topic: string;
  key: string | null;
  id: string;
}

interface ParkedRow {
  id: string;
  topic: string;
  partition: number;
  kafka_offset: string;
  key: string | null;
  value: string | null;
  headers: Record<string, string | string[]>;
  code: string;
  error_class: string | null;
  parked_at: Date;
}

/** The parked_messages table of one service schema, for one consumer group. */
export class ParkedMessagesStore {
  private readonly table: string;

  constructor(
    private readonly schema: string,
    readonly group: string,
  ) {
    this.table = `"${schema}".parked_messages`;
  }

  /**
   * The keys of `messages` that have parked messages, read under a shared lock of the group's
   * topic: an operator's retry (exclusive) never interleaves with a batch deciding to park.
   */
  async parkedKeys(manager: EntityManager, messages: ConsumedMessage[]): Promise<Set<string>> {
    const topic = messages[0]!.topic;
    await manager.query(`SELECT pg_advisory_xact_lock_shared(hashtext($1), hashtext($2))`, this.lockOf(topic));
    const keys = [...new Set(messages.map((m) => m.key).filter((k): k is string => k !== null))];
    if (keys.length === 0) return new Set();
    const rows: { key: string }[] = await manager.query(
      `SELECT DISTINCT key FROM ${this.table} WHERE group_id = $1 AND topic = $2 AND key = ANY($3::text[])`,
      [this.group, topic, keys],
    );
    return new Set(rows.map((r) => r.key));
  }

  /** Takes the group's topic for an operator's change, until the transaction ends. */
  async lockExclusive(manager: EntityManager, topic: string): Promise<void> {
    await manager.query(`SELECT pg_advisory_xact_lock(hashtext($1), hashtext($2))`, this.lockOf(topic));
  }

  /** Parks `messages` in the caller's transaction; a message parked already (redelivered) stays once. */
  async park(manager: EntityManager, messages: ConsumedMessage[], code: string, errorClass: string | null) {
    if (messages.length === 0) return;
    await manager.query(
      `INSERT INTO ${this.table} (group_id, topic, partition, kafka_offset, key, value, headers, code, error_class)
       SELECT $1, m.topic, m.partition, m.kafka_offset, m.key, m.value, m.headers, $2, $3
       FROM unnest($4::text[], $5::int[], $6::bigint[], $7::text[], $8::text[], $9::jsonb[])
            AS m(topic, partition, kafka_offset, key, value, headers)
       ON CONFLICT (group_id, topic, partition, kafka_offset) DO NOTHING`,
      [
        this.group,
        code,
        errorClass,
        messages.map((m) => m.topic),
        messages.map((m) => m.partition),
        messages.map((m) => m.offset),
        messages.map((m) => m.key),
        messages.map((m) => m.value),
        messages.map((m) => JSON.stringify(headersAsText(m.headers))),
      ],
    );
  }

  /** The lanes an operator's selector names: one key's (by a parked position), or every key's. */
  async lanes(manager: EntityManager, selector: ParkedSelector): Promise<ParkedLane[]> {
    if (selector.offset !== undefined) {
      return manager.query(
        `SELECT topic, key, id::text AS id FROM ${this.table}
         WHERE group_id = $1 AND topic = $2 AND partition = $3 AND kafka_offset = $4`,
        [this.group, selector.topic, selector.partition, selector.offset],
      );
    }
    return manager.query(
      `SELECT DISTINCT ON (topic, coalesce(key, id::text)) topic, key, id::text AS id FROM ${this.table}
       WHERE group_id = $1 AND ($2::text IS NULL OR topic = $2)
       ORDER BY topic, coalesce(key, id::text), partition, kafka_offset`,
      [this.group, selector.topic ?? null],
    );
  }

  /** The lane's parked messages in Kafka order (the first `limit`), as the consumer read them. */
  async messagesOf(manager: EntityManager, lane: ParkedLane, limit: number): Promise<ParkedMessage[]> {
    // Ordered by the table's columns (p.), not by the text the select list makes of them.
    const rows: ParkedRow[] = await manager.query(
      `SELECT id::text AS id, topic, partition, kafka_offset::text AS kafka_offset, key, value, headers, code,
              error_class, parked_at
       FROM ${this.table} p
       WHERE group_id = $1 AND topic = $2 AND (CASE WHEN $3::text IS NULL THEN id = $4::bigint ELSE key = $3 END)
       ORDER BY p.partition, p.kafka_offset LIMIT $5`,
      [this.group, lane.topic, lane.key, lane.id, limit],
    );
    return rows.map(toParkedMessage);
  }

  async remove(manager: EntityManager, ids: string[]): Promise<void> {
    await manager.query(`DELETE FROM ${this.table} WHERE id = ANY($1::bigint[])`, [ids]);
  }

  /** The group's parked messages by position and code, oldest first. */
  async list(manager: EntityManager, limit: number): Promise<ParkedEntry[]> {
    const rows: ParkedRow[] = await manager.query(
      `SELECT topic, partition, kafka_offset::text AS kafka_offset, code, error_class, parked_at FROM ${this.table} p
       WHERE group_id = $1 ORDER BY p.topic, p.partition, p.kafka_offset LIMIT $2`,
      [this.group, limit],
    );
    return rows.map((r) => ({
      group: this.group,
      topic: r.topic,
      partition: r.partition,
      offset: r.kafka_offset,
      code: r.code,
      errorClass: r.error_class,
      parkedAt: r.parked_at.toISOString(),
    }));
  }

  /** How many messages the group has parked, per topic. */
  async counts(manager: EntityManager): Promise<Map<string, number>> {
    const rows: { topic: string; n: number }[] = await manager.query(
      `SELECT topic, count(*)::int AS n FROM ${this.table} WHERE group_id = $1 GROUP BY topic`,
      [this.group],
    );
    return new Map(rows.map((r) => [r.topic, r.n]));
  }

  private lockOf(topic: string): [string, string] {
    return [`ruta.parked/${this.schema}`, `${this.group}/${topic}`];
  }
}

/** A parked row with the message it holds. */
export interface ParkedMessage {
  id: string;
  message: ConsumedMessage;
  code: string;
}

function toParkedMessage(r: ParkedRow): ParkedMessage {
  return {
    id: r.id,
    code: r.code,
    message: {
      topic: r.topic,
      partition: r.partition,
      offset: r.kafka_offset,
      key: r.key,
      value: r.value,
      // Parked rows keep the text; valid UTF-8 (all a handler accepts) encodes back to the same bytes.
      bytes: r.value === null ? null : Buffer.from(r.value, 'utf8'),
      headers: r.headers as IHeaders,
    },
  };
}

/** Kafka headers as JSON: bytes read as UTF-8, as the handlers read them. */
function headersAsText(headers: IHeaders): Record<string, string | string[]> {
  const text: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    text[name] = Array.isArray(value) ? value.map((v) => v.toString()) : value.toString();
  }
  return text;
}
