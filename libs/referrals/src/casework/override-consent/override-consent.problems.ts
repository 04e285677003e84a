import { HttpException, NotFoundException } from '@nestjs/common';
import { LIFECYCLE_CODES as C } from '../../domain/lifecycle/lifecycle-result';
import { KEY_REUSED, type OverrideConsentCode, type OverrideConsentResult } from './override-consent.command';

/** The HTTP status of each answer: also what an Idempotency-Key replay answers again. */
const STATUS: Record<OverrideConsentCode, number> = {
  [C.OUT_OF_SCOPE]: 404,
  [C.FORBIDDEN]: 403,
  [C.NOT_DEFERRED]: 409,
  [C.OVERRIDE_NOT_PERMITTED]: 409,
  [C.CONSENT_IS_NOT_A_BASIS]: 422,
  [C.LEGAL_BASIS_REQUIRED]: 422,
  [C.REASON_REQUIRED]: 422,
  [C.UNKNOWN_REASON]: 422,
  [C.NOTE_REQUIRED]: 422,
  [C.NOTE_TOO_LONG]: 422,
  [KEY_REUSED]: 422,
  // Codes of other lifecycle commands, which an override never answers.
  [C.INVALID_TRANSITION]: 409,
  [C.OUTCOME_REQUIRED]: 422,
  [C.UNKNOWN_OUTCOME]: 422,
  [C.ASSIGNEE_REQUIRED]: 422,
  [C.ALREADY_ASSIGNED]: 409,
  [C.TRANSFER_OTHER_SECTOR]: 422,
  [C.UNKNOWN_SECTOR]: 422,
  [C.ONWARD_SAME_SECTOR]: 422,
  [C.UNKNOWN_REFERRAL_TYPE]: 422,
  [C.UNKNOWN_SERVICE_POINT]: 422,
};

/** The request part each 422 is about, named in `errors`. */
const FIELD: Partial<Record<OverrideConsentCode, string>> = {
  [C.CONSENT_IS_NOT_A_BASIS]: 'legalBasis',
  [C.LEGAL_BASIS_REQUIRED]: 'legalBasis',
  [C.REASON_REQUIRED]: 'reason',
  [C.UNKNOWN_REASON]: 'reason',
  [C.NOTE_REQUIRED]: 'note',
  [C.NOTE_TOO_LONG]: 'note',
  [KEY_REUSED]: 'Idempotency-Key',
};

const TITLE: Record<number, string> = { 403: 'forbidden', 409: 'conflict', 422: 'unprocessable request' };

export function statusOf(result: OverrideConsentResult): number {
  if (result.ok) return result.created ? 201 : 200;
  return STATUS[result.code];
}

/** urn:ruta:problem:decision.consent-is-not-a-basis for DECISION.CONSENT_IS_NOT_A_BASIS. */
export const problemType = (code: string) => `urn:ruta:problem:${code.toLowerCase().replace(/_/g, '-')}`;

/** Another sector's decision, or none: the framework's own 404, so nothing is confirmed to exist. */
export const decisionNotFound = () => new NotFoundException();

/** The problem+json of a refusal; its message names codes and fields only, never what was sent. */
export function problemOf(result: Extract<OverrideConsentResult, { ok: false }>): HttpException {
  const status = STATUS[result.code];
  if (status === 404) return decisionNotFound();
  const field = FIELD[result.code];
  return new HttpException(
    {
      type: problemType(result.code),
      title: TITLE[status] ?? 'refused',
      detail: `${result.code}: ${result.message}`,
      ...(field ? { errors: [{ field, messages: [result.message] }] } : {}),
    },
    status,
  );
}
