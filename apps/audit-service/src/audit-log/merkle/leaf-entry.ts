import { leafHash } from './rfc6962';
import { isIsoInstant } from './iso-time';
import { toTreeIndex } from './tree-math';

/**
 * One event as the audit log holds it at its position. Every field is part of the leaf, so none of
 * them — not even where the entry sits or when it was appended — can change without the root
 * changing. Positions and offsets are decimal strings because they are 64-bit in storage and Kafka.
 */
export interface LogEntry {
  position: string;
  eventId: string;
  topic: string;
  partition: number;
  offset: string;
  type: string;
  subject: string;
  actor: string | null;
  eventTime: string | null;
  appendedAt: string;
  /** The Kafka message value exactly as consumed. */
  bytes: Buffer;
}

/** Names the encoding, so a future change of it can never hash like this one. */
const ENTRY_VERSION = 'ruta-audit-entry/1';
const NEWLINE = Buffer.from([0x0a]);

/**
 * The bytes hashed as the entry's leaf: UTF-8 of JSON.stringify of the version and the fields in a
 * fixed order, one 0x0A byte, then the raw message value. JSON needs no canonicalisation for an
 * array of strings, numbers and nulls, so the independent verifier (scripts/audit-verify.mjs)
 * rebuilds the same bytes with nothing but JSON.stringify. Throws for a field that has more than
 * one possible spelling (a position "07", an offset "-1", a time without milliseconds), since a
 * leaf must have exactly one encoding.
 */
export function entryLeafData(entry: LogEntry): Buffer {
  toTreeIndex(entry.position, 'entry position');
  if (!/^(0|[1-9][0-9]*)$/.test(entry.offset)) {
    throw new Error(`entry offset must be a decimal string, got ${JSON.stringify(entry.offset)}`);
  }
  if (!Number.isSafeInteger(entry.partition) || entry.partition < 0) {
    throw new Error(`entry partition must be a non-negative integer, got ${entry.partition}`);
  }
  if (entry.eventTime !== null && !isIsoInstant(entry.eventTime)) {
    throw new Error(`entry eventTime must be an ISO-8601 UTC time with milliseconds, got ${entry.eventTime}`);
  }
  if (!isIsoInstant(entry.appendedAt)) {
    throw new Error(`entry appendedAt must be an ISO-8601 UTC time with milliseconds, got ${entry.appendedAt}`);
  }
  const header = JSON.stringify([
    ENTRY_VERSION,
    entry.position,
    entry.eventId,
    entry.topic,
    entry.partition,
    entry.offset,
    entry.type,
    entry.subject,
    entry.actor,
    entry.eventTime,
    entry.appendedAt,
  ]);
  return Buffer.concat([Buffer.from(header, 'utf8'), NEWLINE, entry.bytes]);
}

/** The entry's RFC 6962 leaf hash: what the log's Merkle tree holds at its position. */
export function entryLeafHash(entry: LogEntry): Buffer {
  return leafHash(entryLeafData(entry));
}
