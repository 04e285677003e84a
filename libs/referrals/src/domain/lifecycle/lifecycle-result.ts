/**
 * Expected failures, as values with stable codes: the controllers map them to problem+json,
 * consumers to ack or dead-letter. Messages name fields and codes, never a note or a person.
 */
export const LIFECYCLE_CODES = {
  /** The command does not apply to the referral's status (409). */
  INVALID_TRANSITION: 'REFERRAL.INVALID_TRANSITION',
  /** Another sector or service point: answered 404, so as not to confirm the referral exists. */
  OUT_OF_SCOPE: 'REFERRAL.OUT_OF_SCOPE',
  /** Same sector and point, but the role lacks the right or another caseworker holds it (403). */
  FORBIDDEN: 'REFERRAL.FORBIDDEN',
  REASON_REQUIRED: 'REFERRAL.REASON_REQUIRED',
  UNKNOWN_REASON: 'REFERRAL.UNKNOWN_REASON',
  OUTCOME_REQUIRED: 'REFERRAL.OUTCOME_REQUIRED',
  UNKNOWN_OUTCOME: 'REFERRAL.UNKNOWN_OUTCOME',
  /** Reason `other` says nothing by itself. */
  NOTE_REQUIRED: 'REFERRAL.NOTE_REQUIRED',
  NOTE_TOO_LONG: 'REFERRAL.NOTE_TOO_LONG',
  ASSIGNEE_REQUIRED: 'REFERRAL.ASSIGNEE_REQUIRED',
  /** assign never replaces someone: reassign says so on purpose. */
  ALREADY_ASSIGNED: 'REFERRAL.ALREADY_ASSIGNED',
  TRANSFER_OTHER_SECTOR: 'REFERRAL.TRANSFER_OTHER_SECTOR',
  UNKNOWN_SECTOR: 'REFERRAL.UNKNOWN_SECTOR',
  /** Onward referral to the referral's own sector: that is a transfer. */
  ONWARD_SAME_SECTOR: 'REFERRAL.ONWARD_SAME_SECTOR',
  LEGAL_BASIS_REQUIRED: 'REFERRAL.LEGAL_BASIS_REQUIRED',
  /** An onward referral names a type the target sector's rule set does not make. */
  UNKNOWN_REFERRAL_TYPE: 'REFERRAL.UNKNOWN_REFERRAL_TYPE',
  /** A transfer to a service point reference data does not know. */
  UNKNOWN_SERVICE_POINT: 'REFERRAL.UNKNOWN_SERVICE_POINT',
  /** The decision is not (or no longer) deferred for want of consent. */
  NOT_DEFERRED: 'DECISION.NOT_DEFERRED',
  /** An override needs a basis other than consent: the missing consent is why it was deferred. */
  CONSENT_IS_NOT_A_BASIS: 'DECISION.CONSENT_IS_NOT_A_BASIS',
  /** A type PRODUCT.md marks "consent (no exception)" is never overridden. */
  OVERRIDE_NOT_PERMITTED: 'DECISION.OVERRIDE_NOT_PERMITTED',
} as const;
export type LifecycleCode = (typeof LIFECYCLE_CODES)[keyof typeof LIFECYCLE_CODES];

export interface Refused {
  ok: false;
  code: LifecycleCode;
  message: string;
}

/** No events with ok: a command that changes nothing (assign to the current assignee). */
export type Decided<E> = { ok: true; events: E[] } | Refused;

export const refuse = (code: LifecycleCode, message: string): Refused => ({ ok: false, code, message });
export const emit = <E>(...events: E[]): Decided<E> => ({ ok: true, events });
