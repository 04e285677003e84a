import { createHash } from 'node:crypto';

/**
 * If-Match as casework reads it (RFC 9110 13.1.1): one or more strong entity tags `"<version>"`.
 * - absent: the change is refused with 428 (a change must say which version it was made on);
 * - a weak tag (W/"3") never matches, as If-Match compares strongly: 412 like a stale version;
 * - `*` or anything that is not a list of entity tags: 400 naming the If-Match header.
 */
export type IfMatch = { kind: 'missing' } | { kind: 'malformed' } | { kind: 'tags'; versions: number[] };

const ENTITY_TAG = /^(W\/)?"([\x21\x23-\x7e]*)"$/;
/** Longest If-Match read: a few dozen tags, far more than any client sends. */
const IF_MATCH_MAX_LENGTH = 1024;

export function readIfMatch(header: string | string[] | undefined): IfMatch {
  if (header === undefined) return { kind: 'missing' };
  const value = Array.isArray(header) ? header.join(',') : header;
  if (value.trim() === '') return { kind: 'missing' };
  if (value.length > IF_MATCH_MAX_LENGTH) return { kind: 'malformed' };
  const versions: number[] = [];
  for (const part of value.split(',')) {
    const tag = ENTITY_TAG.exec(part.trim());
    if (!tag) return { kind: 'malformed' };
    const [, weak, opaque] = tag;
    // A weak tag is well-formed but never matches strongly; a strong one matches only a version we wrote.
    if (!weak && /^[1-9][0-9]{0,9}$/.test(opaque!)) versions.push(Number(opaque));
  }
  return { kind: 'tags', versions };
}

/** Idempotency-Key: 1 to 255 printable ASCII characters (no control characters, no non-ASCII). */
const IDEMPOTENCY_KEY = /^[\x20-\x7e]{1,255}$/;

export type IdempotencyKey = { kind: 'none' } | { kind: 'malformed' } | { kind: 'key'; key: string };

export function readIdempotencyKey(header: string | string[] | undefined): IdempotencyKey {
  if (header === undefined) return { kind: 'none' };
  if (Array.isArray(header) || !IDEMPOTENCY_KEY.test(header)) return { kind: 'malformed' };
  return { kind: 'key', key: header };
}

/** JSON with object keys sorted at every depth: the same request always reads the same. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

/** What a stored answer was for: method, path and canonical body, hashed (the body is not kept). */
export function requestDigest(method: string, path: string, body: unknown): string {
  return createHash('sha256')
    .update(`${method.toUpperCase()}\n${path}\n${canonicalJson(body ?? {})}`)
    .digest('hex');
}
