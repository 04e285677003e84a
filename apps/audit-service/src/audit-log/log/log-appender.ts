import type { EntityManager } from 'typeorm';
import { AUDIT_SCHEMA } from '../audit.constants';
import { entryLeafHash, MerkleFrontier, type LogEntry, type StoredNode } from '../merkle';
import type { Arrival } from './log-entry.mapping';

const S = AUDIT_SCHEMA;

/** The tree as its head row holds it, locked for the rest of the transaction. */
interface LockedHead {
  frontier: MerkleFrontier;
}

/** What one append did: the entries it added (positions from `from`) and the tree's size after it. */
export interface Appended {
  from: bigint;
  count: number;
  size: bigint;
  root: Buffer;
}

/**
 * Appends events to the log at the next positions, each event id once however often it arrives,
 * and grows the Merkle tree with them, in the caller's transaction. Every append locks the one head
 * row first, so appends are serialised: positions are gapless and in commit order, and the tree's
 * frontier and stored nodes always describe exactly the committed rows. `now` is the time the
 * entries record (milliseconds: what the leaf hash covers is what PostgreSQL gives back).
 */
export class LogAppender {
  /** Set once a look for rows moved in by the migration found none: they never appear again. */
  private movedRowsHashed = false;

  /** The tree's size and root as committed, its head locked for the rest of the caller's transaction. */
  async lockedHead(manager: EntityManager): Promise<{ size: bigint; root: Buffer }> {
    const { frontier } = await this.lockHead(manager);
    return { size: BigInt(frontier.size), root: frontier.root() };
  }

  async append(manager: EntityManager, arrivals: Arrival[], now: Date): Promise<Appended> {
    const head = await this.lockHead(manager);
    const fresh = await this.unseen(manager, arrivals);
    const from = BigInt(head.frontier.size);
    const appendedAt = now.toISOString();
    const entries: LogEntry[] = fresh.map((a, i) => ({
      position: String(from + BigInt(i)),
      eventId: a.eventId,
      topic: a.topic,
      partition: a.partition,
      offset: a.offset,
      type: a.type,
      subject: a.subject,
      actor: a.actor,
      eventTime: a.eventTime,
      appendedAt,
      bytes: a.bytes,
    }));
    const hashes = entries.map(entryLeafHash);
    const nodes = hashes.flatMap((hash) => head.frontier.append(hash));
    // A batch of copies the log already holds changes nothing: no insert, no head write.
    if (entries.length > 0) {
      await manager.query(
        `INSERT INTO ${S}.log (position, event_id, topic, partition, kafka_offset, type, subject, actor, event_time,
                               appended_at, bytes, leaf_hash, referral_id, service_point_id, sector)
         SELECT * FROM unnest($1::bigint[], $2::text[], $3::text[], $4::int[], $5::bigint[], $6::text[], $7::text[],
                              $8::text[], $9::timestamptz[], $10::timestamptz[], $11::bytea[], $12::bytea[],
                              $13::text[], $14::text[], $15::text[])`,
        [
          entries.map((e) => e.position),
          entries.map((e) => e.eventId),
          entries.map((e) => e.topic),
          entries.map((e) => e.partition),
          entries.map((e) => e.offset),
          entries.map((e) => e.type),
          entries.map((e) => e.subject),
          entries.map((e) => e.actor),
          entries.map((e) => e.eventTime),
          entries.map(() => appendedAt),
          entries.map((e) => e.bytes),
          hashes,
          fresh.map((a) => a.referralId),
          fresh.map((a) => a.servicePointId),
          fresh.map((a) => a.sector),
        ],
      );
      await this.saveTree(manager, head, nodes);
    }
    return { from, count: entries.length, size: BigInt(head.frontier.size), root: head.frontier.root() };
  }

  /**
   * Locks the head row (every appender waits here) and reads the tree's frontier, first hashing in
   * any rows the migration moved in (looked for until a look finds none).
   */
  private async lockHead(manager: EntityManager): Promise<LockedHead> {
    const [row]: { size: string; frontier: Buffer[] }[] = await manager.query(
      `SELECT size::text, frontier FROM ${S}.log_head FOR UPDATE`,
    );
    if (!row) throw new Error('audit.log_head has no row: the audit migrations did not run');
    const head = { frontier: MerkleFrontier.from(BigInt(row.size), row.frontier) };
    if (!this.movedRowsHashed) this.movedRowsHashed = await this.hashMovedRows(manager, head);
    return head;
  }

  /** The arrivals whose event id the log does not hold yet, first copy of each (under the head lock: no race). */
  private async unseen(manager: EntityManager, arrivals: Arrival[]): Promise<Arrival[]> {
    const firsts = new Map<string, Arrival>();
    for (const a of arrivals) if (!firsts.has(a.eventId)) firsts.set(a.eventId, a);
    if (firsts.size === 0) return [];
    const held: { event_id: string }[] = await manager.query(
      `SELECT event_id FROM ${S}.log WHERE event_id = ANY($1::text[])`,
      [[...firsts.keys()]],
    );
    for (const { event_id } of held) firsts.delete(event_id);
    return [...firsts.values()];
  }

  /**
   * Rows the migration moved in from the earlier audit_log sit past the tree's size without a hash:
   * they are hashed into the tree, in position order, before anything new is appended after them.
   * Answers whether there were none: when some were hashed, their transaction has yet to commit.
   */
  private async hashMovedRows(manager: EntityManager, head: LockedHead): Promise<boolean> {
    for (let found = false; ; found = true) {
      const rows: LogRow[] = await manager.query(
        `SELECT ${LOG_ROW_COLUMNS} FROM ${S}.log WHERE leaf_hash IS NULL ORDER BY log.position LIMIT 5000`,
      );
      // None at the first look: none will come (only the migration moves rows in, before we start).
      if (rows.length === 0) return !found;
      const nodes: StoredNode[] = [];
      const hashes: Buffer[] = [];
      for (const row of rows) {
        const entry = entryOfRow(row);
        if (BigInt(entry.position) !== BigInt(head.frontier.size)) {
          throw new Error(
            `audit.log: unhashed entry at position ${entry.position}, the tree has ${head.frontier.size}`,
          );
        }
        const hash = entryLeafHash(entry);
        hashes.push(hash);
        nodes.push(...head.frontier.append(hash));
      }
      await manager.query(
        `UPDATE ${S}.log l SET leaf_hash = u.hash FROM unnest($1::bigint[], $2::bytea[]) AS u(position, hash)
          WHERE l.position = u.position`,
        [rows.map((r) => r.position), hashes],
      );
      await this.saveTree(manager, head, nodes);
    }
  }

  private async saveTree(manager: EntityManager, head: LockedHead, nodes: StoredNode[]): Promise<void> {
    if (nodes.length > 0) {
      await manager.query(
        `INSERT INTO ${S}.merkle_nodes (level, index, hash)
         SELECT * FROM unnest($1::smallint[], $2::bigint[], $3::bytea[])`,
        [nodes.map((n) => n.level), nodes.map((n) => String(n.index)), nodes.map((n) => n.hash)],
      );
    }
    await manager.query(`UPDATE ${S}.log_head SET size = $1, frontier = $2::bytea[]`, [
      String(head.frontier.size),
      head.frontier.hashes,
    ]);
  }
}

/** A log row as read for hashing and verifying. */
export interface LogRow {
  position: string;
  event_id: string;
  topic: string;
  partition: number;
  kafka_offset: string;
  type: string;
  subject: string;
  actor: string | null;
  event_time: string | null;
  appended_at: string;
  bytes: Buffer;
  leaf_hash: Buffer | null;
}

const iso = (column: string) => `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/** The columns of a LogRow, times as the ISO strings the leaf hash covers. */
export const LOG_ROW_COLUMNS = `position::text, event_id, topic, partition, kafka_offset::text, type, subject, actor,
  ${iso('event_time')} AS event_time, ${iso('appended_at')} AS appended_at, bytes, leaf_hash`;

/** The entry a row holds, as its leaf hash covers it. */
export function entryOfRow(row: LogRow): LogEntry {
  return {
    position: row.position,
    eventId: row.event_id,
    topic: row.topic,
    partition: row.partition,
    offset: row.kafka_offset,
    type: row.type,
    subject: row.subject,
    actor: row.actor,
    eventTime: row.event_time,
    appendedAt: row.appended_at,
    bytes: row.bytes,
  };
}
