import { ValidateBy } from 'class-validator';

/** Where a page of referrals ends: keyset pagination on (created_at, id). */
export interface ReferralCursor {
  createdAt: string;
  id: string;
}

/** The timestamps this service writes into cursors (UTC, microseconds). */
const CREATED_AT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export function encodeReferralCursor(cursor: ReferralCursor): string {
  return Buffer.from(JSON.stringify({ createdAt: cursor.createdAt, id: cursor.id })).toString('base64url');
}

/** The cursor a previous page returned, or undefined for anything else (a forged or garbled one). */
export function decodeReferralCursor(value: string): ReferralCursor | undefined {
  try {
    const parsed = JSON.parse(Buffer.from(value, 'base64url').toString('utf8')) as unknown;
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return undefined;
    const { createdAt, id, ...rest } = parsed as Record<string, unknown>;
    if (Object.keys(rest).length > 0 || typeof createdAt !== 'string' || typeof id !== 'string') return undefined;
    if (!CREATED_AT.test(createdAt) || Number.isNaN(Date.parse(createdAt)) || !UUID.test(id)) return undefined;
    return { createdAt, id };
  } catch {
    return undefined;
  }
}

/** A request field holding a cursor returned by a previous page. */
export const IsReferralCursor = () =>
  ValidateBy({
    name: 'isReferralCursor',
    validator: {
      validate: (value: unknown) => typeof value === 'string' && decodeReferralCursor(value) !== undefined,
      defaultMessage: () => 'after must be a cursor returned by a previous page',
    },
  });
