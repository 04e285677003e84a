import { validateCloudEvent, type CloudEvent, type EventContract, type FieldError } from '@ruta/contracts';
import type { ConsumedMessage } from './batch-consumer';

export type ParsedMessage =
  | { ok: true; message: ConsumedMessage; event: CloudEvent }
  | { ok: false; message: ConsumedMessage; code: 'MESSAGE.UNPARSEABLE' | 'MESSAGE.INVALID'; errors: FieldError[] };

/** Parses and validates a consumed message against its contract before anyone acts on it. */
export function parseCloudEvent(
  message: ConsumedMessage,
  contracts: ReadonlyMap<string, EventContract>,
): ParsedMessage {
  let raw: unknown;
  try {
    raw = JSON.parse(message.value ?? '');
  } catch {
    return { ok: false, message, code: 'MESSAGE.UNPARSEABLE', errors: [{ field: '', messages: ['not JSON'] }] };
  }
  const result = validateCloudEvent(raw, contracts);
  if (!result.ok) return { ok: false, message, code: 'MESSAGE.INVALID', errors: result.errors };
  return { ok: true, message, event: result.event };
}
