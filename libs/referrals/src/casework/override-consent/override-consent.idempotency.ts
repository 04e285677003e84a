import { createHash } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import type { OverrideConsentResult } from './override-consent.command';

export type KeyClaim = { kind: 'fresh' } | { kind: 'replay'; result: OverrideConsentResult } | { kind: 'reused' };

/** A digest of what the request asks: the same key with another body (or another decision) is a reuse. */
export function requestDigest(parts: Record<string, string | null | undefined>): string {
  const canonical = JSON.stringify(Object.entries(parts).map(([name, value]) => [name, value ?? null]));
  return createHash('sha256').update(canonical).digest('hex');
}

/**
 * Idempotency-Key answers in idempotency_keys, inside the request's transaction. The key row is
 * claimed first: a concurrent request with the same key waits on it and then replays what the
 * first one answered. (Kept small here; the lead unifies it with wt-casework's at merge.)
 */
export class OverrideIdempotency {
  constructor(private readonly schema: string) {}

  async claim(manager: EntityManager, caller: string, key: string, digest: string): Promise<KeyClaim> {
    const claimed: unknown[] = await manager.query(
      `INSERT INTO "${this.schema}".idempotency_keys (caller, key, request_digest, status, answer)
       VALUES ($1, $2, $3, 0, 'null'::jsonb) ON CONFLICT DO NOTHING RETURNING key`,
      [caller, key, digest],
    );
    if (claimed.length > 0) return { kind: 'fresh' };
    const [kept]: { request_digest: string; answer: OverrideConsentResult }[] = await manager.query(
      `SELECT request_digest, answer FROM "${this.schema}".idempotency_keys WHERE caller = $1 AND key = $2`,
      [caller, key],
    );
    if (!kept || kept.request_digest !== digest) return { kind: 'reused' };
    return { kind: 'replay', result: kept.answer };
  }

  async answer(
    manager: EntityManager,
    caller: string,
    key: string,
    status: number,
    result: OverrideConsentResult,
  ): Promise<void> {
    await manager.query(
      `UPDATE "${this.schema}".idempotency_keys SET status = $3, answer = $4::jsonb WHERE caller = $1 AND key = $2`,
      [caller, key, status, JSON.stringify(result)],
    );
  }
}
