import {
  EVENT_JSON_LIMITS,
  parseBoundedJson,
  splitDirectIdentifiers,
  validateCloudEvent,
  wellFormedEventId,
  type CloudEvent,
  type FieldError,
} from '@ruta/contracts';
import { INTAKE_CONTRACTS } from '../intake.constants';
import { impossibleValues } from './impossible-values';
import type { JudgeContext } from './judge-context';

/** A valid submission: the event as it will be stored and published, and its identifiers apart. */
export interface Submission {
  event: CloudEvent;
  identifiers?: object;
}

/** How an event reached the gateway: over HTTP(S) from a border service, or on intake.submissions.v1. */
export type Channel = 'http' | 'kafka';

export type RejectionCode = 'INTAKE.UNPARSEABLE' | 'INTAKE.INVALID_EVENT' | 'INTAKE.IDENTIFIERS_NOT_ON_KAFKA';

export type JudgedSubmission =
  { ok: true; submission: Submission } | { ok: false; code: RejectionCode; errors: FieldError[]; eventId?: string };

/**
 * The one judge of every intake channel: an event's JSON text (an HTTP body, one event of a batch,
 * a Kafka message) is read within the gateway's bounds, then judged by judgeSubmission.
 */
export function judgeSubmissionText(
  text: string | null,
  context: JudgeContext,
  channel: Channel,
  maxBytes: number,
): JudgedSubmission {
  if (text === null || text.length === 0) return refused('INTAKE.UNPARSEABLE', 'the event is empty');
  if (text.length > maxBytes || Buffer.byteLength(text) > maxBytes) {
    return refused('INTAKE.INVALID_EVENT', `the event is larger than ${maxBytes} bytes`);
  }
  const parsed = parseBoundedJson(text, EVENT_JSON_LIMITS);
  if (!parsed.ok) {
    return refused(
      parsed.refusal.reason === 'syntax' ? 'INTAKE.UNPARSEABLE' : 'INTAKE.INVALID_EVENT',
      parsed.refusal.message,
    );
  }
  return judgeSubmission(parsed.value, context, channel);
}

/**
 * Judges one submitted event: valid against its contract, possible (known stations, no future
 * birth date, no time more than a day ahead), and carrying direct identifiers only over HTTP and
 * only where the gateway can encrypt them. The identifiers are split off here, so
 * nothing downstream of this function can publish them. On Kafka they are refused: the topic
 * would hold them in clear (PRODUCT.md: never on Kafka in clear text).
 */
export function judgeSubmission(raw: unknown, context: JudgeContext, channel: Channel = 'http'): JudgedSubmission {
  const eventId = wellFormedEventId(raw);
  if (channel === 'kafka' && carriesIdentifiers(raw)) {
    return {
      ok: false,
      code: 'INTAKE.IDENTIFIERS_NOT_ON_KAFKA',
      errors: [
        {
          field: 'data.identifiers',
          messages: ['direct identifiers are not accepted on Kafka; send them to the gateway over HTTPS'],
        },
      ],
      ...(eventId ? { eventId } : {}),
    };
  }
  const validation = validateCloudEvent(raw, INTAKE_CONTRACTS);
  if (!validation.ok) {
    return { ok: false, code: 'INTAKE.INVALID_EVENT', errors: validation.errors, ...(eventId ? { eventId } : {}) };
  }
  const impossible = impossibleValues(validation.event, INTAKE_CONTRACTS.get(validation.event.type)!, context);
  if (impossible.length > 0)
    return { ok: false, code: 'INTAKE.INVALID_EVENT', errors: impossible, eventId: validation.event.id };
  const { event, identifiers } = splitDirectIdentifiers(validation.event);
  if (identifiers && !context.vault.enabled) {
    return {
      ok: false,
      code: 'INTAKE.INVALID_EVENT',
      errors: [
        {
          field: 'data.identifiers',
          messages: ['this gateway has no key to encrypt direct identifiers; send the event without them'],
        },
      ],
      eventId: event.id,
    };
  }
  return { ok: true, submission: identifiers ? { event, identifiers } : { event } };
}

function carriesIdentifiers(raw: unknown): boolean {
  if (typeof raw !== 'object' || raw === null || !Object.hasOwn(raw, 'data')) return false;
  const data = (raw as { data?: unknown }).data;
  return typeof data === 'object' && data !== null && Object.hasOwn(data, 'identifiers');
}

function refused(code: RejectionCode, message: string): JudgedSubmission {
  return { ok: false, code, errors: [{ field: '', messages: [message] }] };
}
