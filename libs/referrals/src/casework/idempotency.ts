import { ApiHeader } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import type { EntityManager } from 'typeorm';
import { idempotencyKeyReused, type CaseworkAnswer } from './casework-answers';
import { readIdempotencyKey, requestDigest } from './http-preconditions';

/** The caller's Idempotency-Key with the digest of the request it stands for (method, path, canonical body). */
export interface Idempotency {
  key: string;
  digest: string;
}

/** An answer as sent: `replayed` when it came from an earlier request with the same key. */
export type IdempotentAnswer = CaseworkAnswer & { replayed?: boolean };

/**
 * The request's Idempotency-Key, read once for every casework command: none, malformed (the
 * controller answers 400 naming the header), or the key and the digest of what the request asks.
 */
export function idempotencyOf(
  request: FastifyRequest,
  body: unknown,
): { kind: 'none' } | { kind: 'malformed' } | ({ kind: 'key' } & Idempotency) {
  const header = readIdempotencyKey(request.headers['idempotency-key']);
  if (header.kind !== 'key') return header;
  const path = request.url.split('?')[0]!;
  return { kind: 'key', key: header.key, digest: requestDigest(request.method, path, body) };
}

/** The OpenAPI description of the Idempotency-Key header, the same on every casework command. */
export const ApiIdempotencyKey = () =>
  ApiHeader({
    name: 'Idempotency-Key',
    required: false,
    description:
      '1-255 printable ASCII; the same key and request answer the same again (Idempotent-Replayed: true); ' +
      'the same key with another request: 422 REQUEST.IDEMPOTENCY_KEY_REUSED',
  });

type KeyClaim = { kind: 'fresh' } | { kind: 'replay'; answer: CaseworkAnswer } | { kind: 'other-request' };

/**
 * Answers kept in idempotency_keys, inside the command's transaction. The key row is claimed
 * first: a concurrent request with the same key waits on it until this transaction ends, then
 * reads the answer (or claims it, if this one rolled back). A refusal (4xx) is kept like a
 * success; an error (5xx) rolls the claim back with everything else, so a retry runs again.
 */
export class IdempotencyStore {
  constructor(private readonly schema: string) {}

  /**
   * `run`'s answer, kept under the caller's key; or the answer kept before for the same request
   * (replayed: true); or 422 when the key was used for another request. No key: just `run`.
   */
  async answerOnce<A extends CaseworkAnswer>(
    manager: EntityManager,
    caller: string,
    idempotency: Idempotency | undefined,
    run: () => Promise<A>,
  ): Promise<A | IdempotentAnswer> {
    if (!idempotency) return run();
    const claim = await this.claim(manager, caller, idempotency);
    if (claim.kind === 'replay') return { ...claim.answer, replayed: true };
    if (claim.kind === 'other-request') return idempotencyKeyReused();
    const answer = await run();
    await this.keep(manager, caller, idempotency.key, answer);
    return answer;
  }

  private async claim(manager: EntityManager, caller: string, { key, digest }: Idempotency): Promise<KeyClaim> {
    const claimed: unknown[] = await manager.query(
      `INSERT INTO "${this.schema}".idempotency_keys (caller, key, request_digest, status, answer)
       VALUES ($1, $2, $3, 0, '{}'::jsonb) ON CONFLICT (caller, key) DO NOTHING RETURNING key`,
      [caller, key, digest],
    );
    if (claimed.length > 0) return { kind: 'fresh' };
    const [row]: {
      request_digest: string;
      status: number;
      answer: { body: Record<string, unknown>; etag?: string };
    }[] = await manager.query(
      `SELECT request_digest, status, answer FROM "${this.schema}".idempotency_keys WHERE caller = $1 AND key = $2`,
      [caller, key],
    );
    if (!row || row.request_digest !== digest) return { kind: 'other-request' };
    return {
      kind: 'replay',
      answer: { status: row.status, body: row.answer.body, ...(row.answer.etag ? { etag: row.answer.etag } : {}) },
    };
  }

  /** The answer as sent: status, body and ETag (nothing else of the command's result). */
  private async keep(manager: EntityManager, caller: string, key: string, answer: CaseworkAnswer): Promise<void> {
    await manager.query(
      `UPDATE "${this.schema}".idempotency_keys SET status = $3, answer = $4::jsonb WHERE caller = $1 AND key = $2`,
      [
        caller,
        key,
        answer.status,
        JSON.stringify({ body: answer.body, ...(answer.etag ? { etag: answer.etag } : {}) }),
      ],
    );
  }
}
