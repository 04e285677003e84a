import { plainToInstance } from 'class-transformer';
import { validateSync, type ValidationError } from 'class-validator';
import { CloudEventEnvelope } from './envelope/cloud-event.envelope';
import type { CloudEvent } from './envelope/cloud-event';
import type { EventContract } from './registry';

/** A field at fault and what is wrong with it; never the value itself (it may be personal data). */
export interface FieldError {
  field: string;
  messages: string[];
}

export type ValidationResult<T = CloudEvent> = { ok: true; event: T } | { ok: false; errors: FieldError[] };

const OPTIONS = { whitelist: true, forbidNonWhitelisted: true, forbidUnknownValues: true } as const;

/**
 * Validates a CloudEvents 1.0 structured event against the contract of its type:
 * the envelope first, then `data` against the type's payload class. Unknown fields are refused.
 */
export function validateCloudEvent(raw: unknown, contracts: ReadonlyMap<string, EventContract>): ValidationResult {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    return { ok: false, errors: [{ field: '', messages: ['the event must be a JSON object'] }] };
  }
  const envelope = plainToInstance(CloudEventEnvelope, raw);
  const errors = flattenValidationErrors(validateSync(envelope, OPTIONS));
  const type = (raw as { type?: unknown }).type;
  const contract = typeof type === 'string' ? contracts.get(type) : undefined;
  if (!contract && !errors.some((e) => e.field === 'type')) {
    errors.push({ field: 'type', messages: [`type must be one of: ${[...contracts.keys()].join(', ')}`] });
  }
  const data = (raw as { data?: unknown }).data;
  if (contract && typeof data === 'object' && data !== null && !Array.isArray(data)) {
    const payload = plainToInstance(contract.payload, data);
    errors.push(...flattenValidationErrors(validateSync(payload, OPTIONS), 'data'));
    const personId = (data as { personId?: unknown }).personId;
    const subject = (raw as { subject?: unknown }).subject;
    if (typeof personId === 'string' && personId !== subject) {
      errors.push({ field: 'data.personId', messages: ['data.personId must equal subject'] });
    }
  }
  if (errors.length > 0) return { ok: false, errors };
  return { ok: true, event: raw as CloudEvent };
}

/** class-validator's error tree as a flat list of field paths and messages (values left out). */
export function flattenValidationErrors(errors: ValidationError[], prefix = ''): FieldError[] {
  return errors.flatMap((error) => {
    const field = prefix ? `${prefix}.${error.property}` : error.property;
    const own = error.constraints ? [{ field, messages: Object.values(error.constraints) }] : [];
    return [...own, ...flattenValidationErrors(error.children ?? [], field)];
  });
}
