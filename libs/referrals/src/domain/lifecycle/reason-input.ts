import {
  NOTE_MAX_LENGTH,
  OUTCOMES,
  REASONS,
  type OutcomeCode,
  type Reasoned,
  type ReasonCode,
  type ReasonedCommand,
} from './reasons';
import { LIFECYCLE_CODES as C, refuse, type Refused } from './lifecycle-result';

export const isRefused = (value: unknown): value is Refused => (value as Refused | null)?.ok === false;

/** A note trimmed, empty as null, refused past NOTE_MAX_LENGTH (its text never enters the message). */
function noteOf(note: string | undefined): string | null | Refused {
  const trimmed = note?.trim() ?? '';
  if (trimmed.length > NOTE_MAX_LENGTH) {
    return refuse(C.NOTE_TOO_LONG, `note must be at most ${NOTE_MAX_LENGTH} characters`);
  }
  return trimmed === '' ? null : trimmed;
}

function coded<T extends string>(
  field: 'reason' | 'outcome',
  allowed: readonly T[],
  code: string | undefined,
  note: string | undefined,
  missing: Refused['code'],
  unknown: Refused['code'],
): Reasoned<T> | Refused {
  if (code === undefined || code.trim() === '')
    return refuse(missing, `${field} is required: one of ${allowed.join(', ')}`);
  if (!(allowed as readonly string[]).includes(code)) {
    return refuse(unknown, `${field} must be one of ${allowed.join(', ')}`);
  }
  const checked = noteOf(note);
  if (isRefused(checked)) return checked;
  if (code === 'other' && checked === null) return refuse(C.NOTE_REQUIRED, `note is required when ${field} is other`);
  return { code: code as T, note: checked };
}

/** The command's reason checked against its closed list. */
export function reasonOf<K extends ReasonedCommand>(
  command: K,
  reason: string | undefined,
  note: string | undefined,
): Reasoned<ReasonCode<K>> | Refused {
  const allowed = REASONS[command] as readonly ReasonCode<K>[];
  return coded('reason', allowed, reason, note, C.REASON_REQUIRED, C.UNKNOWN_REASON);
}

export function outcomeOf(outcome: string | undefined, note: string | undefined): Reasoned<OutcomeCode> | Refused {
  return coded('outcome', OUTCOMES, outcome, note, C.OUTCOME_REQUIRED, C.UNKNOWN_OUTCOME);
}
