/**
 * Reasons and outcomes are codes from a closed list per command, so figures and audits can count
 * them; an optional note says the rest. A note is free text and may carry personal data: it is
 * never logged nor echoed in an error, and it is stored sealed with its person's data key, so
 * erasing the person makes it unreadable (casework/notes).
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

/**
 * A note as stored: sealed with the person's data key (base64 of nonce, tag and ciphertext), or
 * `erased` when the person's key was already destroyed as it was written (the text is not kept).
 */
export type StoredNote = { sealed: string } | { erased: true };

/**
 * A reason (or outcome) as recorded on an event and in the state. The note is text as the decider
 * checked it (and in rows written before notes were sealed), or a StoredNote once sealed.
 */
export interface Reasoned<C extends string = string> {
  code: C;
  note: string | StoredNote | null;
}
