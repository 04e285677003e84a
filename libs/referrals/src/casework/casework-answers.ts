import type { FieldError } from '@ruta/contracts';
import { LIFECYCLE_CODES as C, type LifecycleCode, type Refused } from '../domain/lifecycle';

/**
 * A casework answer as sent, and as kept for an Idempotency-Key retry: status, body and ETag.
 * Problems are RFC 9457 problem+json like ProblemFilter's, plus the stable `code` of a lifecycle
 * refusal; their texts name fields and codes, never a note, a person or what the client sent.
 */
export interface CaseworkAnswer {
  status: number;
  body: Record<string, unknown>;
  etag?: string;
}

export const isProblem = (answer: CaseworkAnswer) => answer.status >= 400;

function problem(
  status: number,
  slug: string,
  title: string,
  detail: string,
  extra: { code?: string; errors?: FieldError[] } = {},
): CaseworkAnswer {
  return { status, body: { type: `urn:ruta:problem:${slug}`, title, status, detail, ...extra } };
}

/** Another sector, another caseworker's point, or no such referral: one answer, so none is confirmed. */
export const referralNotFound = () => problem(404, 'referral.not-found', 'referral not found', 'referral not found');

export const ifMatchRequired = () =>
  problem(428, 'precondition-required', 'precondition required', "a change needs If-Match with the referral's ETag", {
    errors: [{ field: 'If-Match', messages: ['If-Match is required: the ETag of the version the change is made on'] }],
  });

export const ifMatchMalformed = () =>
  problem(400, 'invalid-request', 'invalid request', 'fields at fault: If-Match', {
    errors: [{ field: 'If-Match', messages: ['If-Match must be one or more entity tags such as "3"'] }],
  });

export const staleVersion = () =>
  problem(
    412,
    'referral.stale-version',
    'precondition failed',
    'the referral changed since that version: read it again',
  );

export const idempotencyKeyMalformed = () =>
  problem(400, 'invalid-request', 'invalid request', 'fields at fault: Idempotency-Key', {
    errors: [{ field: 'Idempotency-Key', messages: ['Idempotency-Key must be 1 to 255 printable ASCII characters'] }],
  });

export const idempotencyKeyReused = () =>
  problem(
    422,
    'idempotency-key-reused',
    'idempotency key reused',
    'this Idempotency-Key was used for another request: use a new key for a new request',
    {
      code: 'REQUEST.IDEMPOTENCY_KEY_REUSED',
      errors: [{ field: 'Idempotency-Key', messages: ['used for another request'] }],
    },
  );

export const unknownServicePoint = () =>
  refused({
    ok: false,
    code: C.UNKNOWN_SERVICE_POINT,
    message: 'servicePointId must be a service point of the reference data',
  });

/** The field each data refusal is about: a 422 names it. */
const FIELD_OF: Partial<Record<LifecycleCode, string>> = {
  [C.REASON_REQUIRED]: 'reason',
  [C.UNKNOWN_REASON]: 'reason',
  [C.OUTCOME_REQUIRED]: 'outcome',
  [C.UNKNOWN_OUTCOME]: 'outcome',
  [C.NOTE_REQUIRED]: 'note',
  [C.NOTE_TOO_LONG]: 'note',
  [C.ASSIGNEE_REQUIRED]: 'assignee',
  [C.TRANSFER_OTHER_SECTOR]: 'servicePointId',
  [C.UNKNOWN_SERVICE_POINT]: 'servicePointId',
  [C.UNKNOWN_SECTOR]: 'toSector',
  [C.ONWARD_SAME_SECTOR]: 'toSector',
  [C.UNKNOWN_REFERRAL_TYPE]: 'referralType',
  [C.LEGAL_BASIS_REQUIRED]: 'legalBasis',
};

/** A lifecycle refusal as HTTP: 404 out of scope, 403 forbidden, 409 status or holder conflicts, 422 data. */
export function refused(refusal: Refused): CaseworkAnswer {
  const slug = refusal.code.toLowerCase().replace(/_/g, '-');
  switch (refusal.code) {
    case C.OUT_OF_SCOPE:
      return referralNotFound();
    case C.FORBIDDEN:
      return problem(403, slug, 'forbidden', refusal.message, { code: refusal.code });
    case C.INVALID_TRANSITION:
      return problem(409, slug, 'invalid transition', refusal.message, { code: refusal.code });
    case C.ALREADY_ASSIGNED:
      return problem(409, slug, 'already assigned', refusal.message, { code: refusal.code });
    default: {
      const field = FIELD_OF[refusal.code];
      return problem(422, slug, 'unprocessable request', refusal.message, {
        code: refusal.code,
        ...(field ? { errors: [{ field, messages: [refusal.message] }] } : {}),
      });
    }
  }
}
