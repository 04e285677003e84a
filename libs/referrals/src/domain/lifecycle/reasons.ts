/**
 * Reasons and outcomes are codes from a closed list per command, so figures and audits can count
 * them; an optional note says the rest. A note is free text and may carry personal data: it is
 * never logged nor echoed in an error, and the audit issue must encrypt it per person (crypto-shredding).
 */
export const REASONS = {
  reject: [
    'not-eligible',
    'service-unavailable',
    'capacity-full',
    'duplicate',
    'wrong-sector',
    'person-declined',
    'other',
  ],
  cancel: ['person-departed', 'duplicate', 'created-in-error', 'person-declined', 'other'],
  hold: ['awaiting-person', 'awaiting-documents', 'awaiting-other-service', 'person-unreachable', 'other'],
  fail: ['person-unreachable', 'person-declined', 'person-departed', 'service-unavailable', 'not-eligible', 'other'],
  'refer-onward': ['needs-other-sector', 'protection-concern', 'health-concern', 'social-need', 'other'],
  'override-consent': ['vital-interest-emergency', 'child-at-risk', 'person-unable-to-consent', 'other'],
} as const;
export type ReasonedCommand = keyof typeof REASONS;
export type ReasonCode<K extends ReasonedCommand = ReasonedCommand> = (typeof REASONS)[K][number];

export const OUTCOMES = ['service-provided', 'partially-provided', 'information-provided', 'referred-onward'] as const;
export type OutcomeCode = (typeof OUTCOMES)[number];

/** Bounded so an event stays small; long enough for a caseworker's sentence or two. */
export const NOTE_MAX_LENGTH = 500;

/** A reason (or outcome) as recorded on an event and in the state. */
export interface Reasoned<C extends string = string> {
  code: C;
  note: string | null;
}
