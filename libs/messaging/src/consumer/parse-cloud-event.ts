import {
  EVENT_JSON_LIMITS,
  parseBoundedJson,
  readCloudEvent,
  wellFormedEventId,
  type CloudEvent,
  type EventContract,
  type FieldError,
} from '@ruta/contracts';
import type { DeadLetter } from '../dead-letters/dead-letter';
import type { ConsumedMessage } from './batch-consumer';

export type ParsedMessage =
  | { ok: true; message: ConsumedMessage; event: CloudEvent }
  | {
      ok: false;
      message: ConsumedMessage;
      code: 'MESSAGE.UNPARSEABLE' | 'MESSAGE.INVALID';
      errors: FieldError[];
      eventId?: string;
    };

/**
 * Parses and validates a consumed message against its contract before anyone acts on it: read
 * within the same bounds as the intake gateway's judge, so no message can exhaust memory or stack.
 */
export function parseCloudEvent(
  message: ConsumedMessage,
  contracts: ReadonlyMap<string, EventContract>,
): ParsedMessage {
  const parsed = parseBoundedJson(message.value ?? '', EVENT_JSON_LIMITS);
  if (!parsed.ok) {
    const code = parsed.refusal.reason === 'syntax' ? 'MESSAGE.UNPARSEABLE' : 'MESSAGE.INVALID';
    return { ok: false, message, code, errors: [{ field: '', messages: [parsed.refusal.message] }] };
  }
  // Read as the latest version: older versions are validated as they are, then upcast.
  const result = readCloudEvent(parsed.value, contracts);
  if (!result.ok) {
    const eventId = wellFormedEventId(parsed.value);
    return { ok: false, message, code: 'MESSAGE.INVALID', errors: result.errors, ...(eventId ? { eventId } : {}) };
  }
  return { ok: true, message, event: result.event };
}

/** A batch split into the events that meet their contracts and the dead letters that do not. */
export function parseBatch(
  messages: ConsumedMessage[],
  contracts: ReadonlyMap<string, EventContract>,
): { events: { message: ConsumedMessage; event: CloudEvent }[]; deadLetters: DeadLetter[] } {
  const events: { message: ConsumedMessage; event: CloudEvent }[] = [];
  const deadLetters: DeadLetter[] = [];
  for (const message of messages) {
    const parsed = parseCloudEvent(message, contracts);
    if (parsed.ok) events.push({ message, event: parsed.event });
    else
      deadLetters.push({
        topic: message.topic,
        partition: message.partition,
        offset: message.offset,
        code: parsed.code,
        errors: parsed.errors,
        ...(parsed.eventId ? { eventId: parsed.eventId } : {}),
      });
  }
  return { events, deadLetters };
}
