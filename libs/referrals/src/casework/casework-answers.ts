import type { FieldError } from '@ruta/contracts';
import type { FastifyReply } from 'fastify';
import { LIFECYCLE_CODES as C, type LifecycleCode, type Refused } from '../domain/lifecycle';

/**
 * A casework answer as sent, and as kept for an Idempotency-Key retry: status, body and ETag.
 * Problems are RFC 9457 problem+json like ProblemFilter's, plus the stable `code` of a refusal;
 * their texts name fields and codes, never a note, a person or what the client sent.
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

/**
 * Another sector, another caseworker's point, or no such referral or decision: one answer on every
 * casework route, naming nothing, so none is confirmed to exist.
 */
export const notFound = () => problem(404, 'referral.not-found', 'not found', 'not found');

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

/** A command with a note, or a referral with sealed notes, on a service without RUTA_IDENTIFIERS_KEY. */
export const notesUnavailable = () =>
  problem(
    503,
    'notes-unavailable',
    'service unavailable',
    'notes are sealed per person and this service has no key to seal or open them (RUTA_IDENTIFIERS_KEY)',
  );

export const idempotencyKeyMalformed = () =>
  problem(400, 'invalid-request', 'invalid request', 'fields at fault: Idempotency-Key', {
    errors: [{ field: 'Idempotency-Key', messages: ['Idempotency-Key must be 1 to 255 printable ASCII characters'] }],
  });

/** The one code of an Idempotency-Key used by this caller for another request. */
export const KEY_REUSED = 'REQUEST.IDEMPOTENCY_KEY_REUSED';
export type CaseworkCode = LifecycleCode | typeof KEY_REUSED;

export const idempotencyKeyReused = () =>
  problemOf(KEY_REUSED, 'this Idempotency-Key was used for another request: use a new key for a new request');

export const unknownServicePoint = () =>
  refused({
    ok: false,
    code: C.UNKNOWN_SERVICE_POINT,
    message: 'servicePointId must be a service point of the reference data',
  });

const UNPROCESSABLE = 'unprocessable request';

/**
 * Every refusal code as HTTP: its status, title, and the field a 422 names in `errors`. 404 out of
 * scope, 403 forbidden, 409 a status or holder conflict, 422 the data (or a reused key).
 */
const PROBLEMS: Record<CaseworkCode, { status: number; title: string; field?: string }> = {
  [C.OUT_OF_SCOPE]: { status: 404, title: 'not found' },
  [C.FORBIDDEN]: { status: 403, title: 'forbidden' },
  [C.INVALID_TRANSITION]: { status: 409, title: 'invalid transition' },
  [C.ALREADY_ASSIGNED]: { status: 409, title: 'already assigned' },
  [C.NOT_DEFERRED]: { status: 409, title: 'conflict' },
  [C.OVERRIDE_NOT_PERMITTED]: { status: 409, title: 'conflict' },
  [C.REASON_REQUIRED]: { status: 422, title: UNPROCESSABLE, field: 'reason' },
  [C.UNKNOWN_REASON]: { status: 422, title: UNPROCESSABLE, field: 'reason' },
  [C.OUTCOME_REQUIRED]: { status: 422, title: UNPROCESSABLE, field: 'outcome' },
  [C.UNKNOWN_OUTCOME]: { status: 422, title: UNPROCESSABLE, field: 'outcome' },
  [C.NOTE_REQUIRED]: { status: 422, title: UNPROCESSABLE, field: 'note' },
  [C.NOTE_TOO_LONG]: { status: 422, title: UNPROCESSABLE, field: 'note' },
  [C.ASSIGNEE_REQUIRED]: { status: 422, title: UNPROCESSABLE, field: 'assignee' },
  [C.TRANSFER_OTHER_SECTOR]: { status: 422, title: UNPROCESSABLE, field: 'servicePointId' },
  [C.UNKNOWN_SERVICE_POINT]: { status: 422, title: UNPROCESSABLE, field: 'servicePointId' },
  [C.UNKNOWN_SECTOR]: { status: 422, title: UNPROCESSABLE, field: 'toSector' },
  [C.ONWARD_SAME_SECTOR]: { status: 422, title: UNPROCESSABLE, field: 'toSector' },
  [C.UNKNOWN_REFERRAL_TYPE]: { status: 422, title: UNPROCESSABLE, field: 'referralType' },
  [C.LEGAL_BASIS_REQUIRED]: { status: 422, title: UNPROCESSABLE, field: 'legalBasis' },
  [C.CONSENT_IS_NOT_A_BASIS]: { status: 422, title: UNPROCESSABLE, field: 'legalBasis' },
  [KEY_REUSED]: { status: 422, title: 'idempotency key reused', field: 'Idempotency-Key' },
};

/**
 * The problem+json of a refusal code: `urn:ruta:problem:<code lower-cased, _ as ->` (REFERRAL.NOTE_REQUIRED:
 * urn:ruta:problem:referral.note-required), the code itself, and `errors` naming the field at fault.
 * Out of scope is the one not-found answer.
 */
export function problemOf(code: CaseworkCode, message: string): CaseworkAnswer {
  const { status, title, field } = PROBLEMS[code];
  if (status === 404) return notFound();
  return problem(status, code.toLowerCase().replace(/_/g, '-'), title, message, {
    code,
    ...(field ? { errors: [{ field, messages: [message] }] } : {}),
  });
}

/** A lifecycle refusal as HTTP. */
export const refused = (refusal: Refused): CaseworkAnswer => problemOf(refusal.code, refusal.message);

/** Sends a casework answer: its status, problem+json or JSON, its ETag, and whether it was replayed. */
export function send(reply: FastifyReply, answer: CaseworkAnswer & { replayed?: boolean }): void {
  if (answer.etag) void reply.header('ETag', answer.etag);
  if (answer.replayed) void reply.header('Idempotent-Replayed', 'true');
  void reply
    .status(answer.status)
    .header('Content-Type', isProblem(answer) ? 'application/problem+json' : 'application/json; charset=utf-8')
    .send(answer.body);
}
