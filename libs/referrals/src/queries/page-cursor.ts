import { ValidateBy } from 'class-validator';

/** What a cursor's text may look like before decoding: base64url, bounded. */
const ENCODED = /^[A-Za-z0-9_-]{1,200}$/;
const MESSAGE = 'after must be a cursor returned by a previous page';

/**
 * Where a page ends, as an opaque base64url JSON object holding exactly the keyset fields named in
 * `shape`, each a string its check accepts: anything else (forged, garbled, extra keys) decodes to undefined.
 */
export class PageCursor<K extends string> {
  constructor(private readonly shape: Readonly<Record<K, (value: string) => boolean>>) {}

  encode(position: Readonly<Record<K, string>>): string {
    const fields = Object.fromEntries(this.keys().map((key) => [key, position[key]]));
    return Buffer.from(JSON.stringify(fields)).toString('base64url');
  }

  /** The position a previous page returned, or undefined for anything else. */
  decode(value: string): Record<K, string> | undefined {
    if (!ENCODED.test(value)) return undefined;
    let parsed: unknown;
    try {
      parsed = JSON.parse(Buffer.from(value, 'base64url').toString('utf8'));
    } catch {
      return undefined;
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return undefined;
    const fields = parsed as Record<string, unknown>;
    const keys = this.keys();
    if (Object.keys(fields).length !== keys.length) return undefined;
    for (const key of keys) {
      const field = Object.hasOwn(fields, key) ? fields[key] : undefined;
      if (typeof field !== 'string' || !this.shape[key](field)) return undefined;
    }
    return fields as Record<K, string>;
  }

  /** A request field holding a cursor of this shape returned by a previous page. */
  validator(name: string): PropertyDecorator {
    return ValidateBy({
      name,
      validator: {
        validate: (value: unknown) => typeof value === 'string' && this.decode(value) !== undefined,
        defaultMessage: () => MESSAGE,
      },
    });
  }

  private keys(): K[] {
    return Object.keys(this.shape) as K[];
  }
}

/** The timestamps this service writes into cursors (UTC, microseconds), as the SQL below formats them. */
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;
export const isCursorTimestamp = (value: string) => TIMESTAMP.test(value) && !Number.isNaN(Date.parse(value));

/** A uuid as PostgreSQL writes it (lower case): the ids in cursors, and referral ids once lower-cased. */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
export const isCursorUuid = (value: string) => UUID.test(value);

/** How the read side writes a timestamptz column: ISO 8601 in UTC with microseconds (the cursor keeps all of them). */
export const isoUtc = (column: string) => `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;
