import { BadRequestException } from '@nestjs/common';

const MAX_BIGINT = 9223372036854775807n;

/** A decisions.id as PostgreSQL hands it out: a positive bigint. Anything else names no decision. */
export const isDecisionId = (id: string) => /^[1-9]\d{0,18}$/.test(id) && BigInt(id) <= MAX_BIGINT;

/** Printable ASCII without spaces, 1-255 characters: a UUID or any client token fits. */
export const isIdempotencyKey = (key: string) => /^[\x21-\x7e]{1,255}$/.test(key);

export const invalidIdempotencyKey = () =>
  new BadRequestException({
    type: 'urn:ruta:problem:invalid-request',
    title: 'invalid request',
    detail: 'fields at fault: Idempotency-Key',
    errors: [{ field: 'Idempotency-Key', messages: ['Idempotency-Key must be 1-255 printable characters'] }],
  });
