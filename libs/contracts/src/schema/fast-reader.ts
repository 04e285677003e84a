import Ajv2020, { type ValidateFunction } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { isISO8601 } from 'class-validator';
import type { EventContract } from '../contract-registry';
import { HOUSEHOLD_LINKED } from '../events/household-linked/household-linked.v1';
import { PERSON_TRANSFERRED } from '../events/person-transferred/person-transferred.v1';
import { classSchemas, eventSchema } from './event-schema';

/**
 * Types whose classes hold rules JSON Schema does not state (members unique, head among them,
 * stations differ): these are always judged by the classes.
 */
const CLASS_ONLY = new Set([HOUSEHOLD_LINKED, PERSON_TRANSFERRED]);

/** The strictest reading the classes apply to any timestamp (IsTimestamp). */
const STRICT_TIMESTAMP = { strict: true, strictSeparator: true };
const DATE = /^\d{4}-\d{2}-\d{2}$/;

/**
 * Compiled JSON Schema validators (ajv) for the consumers' hot path: an event they accept is read
 * without class-validator; anything they refuse is judged again by the classes, which stay the
 * authority and name the fields at fault. Built from the same generator as the committed schemas.
 */
export class FastEventValidators {
  private readonly validators = new Map<string, ValidateFunction>();

  constructor(contracts: Iterable<EventContract>) {
    const ajv = new Ajv2020({ allErrors: false, strict: false });
    addFormats(ajv);
    // ajv-formats reads RFC 3339 loosely (a space or lower-case "t" as separator, leap seconds):
    // the fast path must never accept what the classes refuse, so timestamps get their own test.
    // The schemas say oneOf date, date-time (IsISO8601): the two must not overlap.
    ajv.addFormat('date', (value: string) => DATE.test(value) && isISO8601(value, STRICT_TIMESTAMP));
    ajv.addFormat('date-time', (value: string) => value.includes('T') && isISO8601(value, STRICT_TIMESTAMP));
    const defs = classSchemas();
    for (const contract of contracts) {
      if (CLASS_ONLY.has(contract.type)) continue;
      const { $id: _id, ...schema } = eventSchema(contract, defs, 'published');
      this.validators.set(key(contract.type, contract.version), ajv.compile(schema));
    }
  }

  /** True when the event certainly meets the contract; false means "ask the classes". */
  accepts(raw: object, contract: EventContract): boolean {
    const validate = this.validators.get(key(contract.type, contract.version));
    if (!validate || !validate(raw)) return false;
    const { subject, data } = raw as { subject?: unknown; data?: Record<string, unknown> };
    return data?.[contract.subjectField ?? 'personId'] === subject;
  }
}

function key(type: string, version: number): string {
  return `${type}:v${version}`;
}
