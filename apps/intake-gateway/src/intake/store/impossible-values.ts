import type { CloudEvent, EventContract, FieldError } from '@ruta/contracts';
import type { JudgeContext } from './judge-context';

const DAY_MS = 24 * 60 * 60 * 1000;
/** The date is already "today" somewhere on Earth (UTC+14) this long before it is in UTC. */
const EARLIEST_OFFSET_MS = 14 * 60 * 60 * 1000;
/** The data fields naming a station, per type: each must be a station of the reference data. */
const STATION_FIELDS: Readonly<Record<string, readonly string[]>> = {
  'person.registered': ['stationId'],
  'person.transferred': ['fromStationId', 'toStationId'],
};

/**
 * What the contract cannot know and makes an event unusable (PRODUCT.md "How strict intake is"):
 * a station the reference data does not have, a birth date in the future, a time more than a day
 * ahead of acceptance. Runs on an event its contract accepted; errors name fields, never values.
 */
export function impossibleValues(event: CloudEvent, contract: EventContract, context: JudgeContext): FieldError[] {
  const data = event.data as Record<string, unknown>;
  const errors: FieldError[] = [];
  for (const field of STATION_FIELDS[event.type] ?? []) {
    if (typeof data[field] === 'string' && !context.stations.has(data[field])) {
      errors.push({ field: `data.${field}`, messages: [`${field} must be a station of the reference data`] });
    }
  }
  const now = context.now().getTime();
  const latest = now + DAY_MS;
  if (isAfter(event.time, latest)) {
    errors.push({ field: 'time', messages: ['time must not be more than a day ahead of acceptance'] });
  }
  const timeField = contract.timeField;
  if (timeField && isAfter(data[timeField], latest)) {
    const message = `${timeField} must not be more than a day ahead of acceptance`;
    errors.push({ field: `data.${timeField}`, messages: [message] });
  }
  const today = new Date(now + EARLIEST_OFFSET_MS).toISOString().slice(0, 10);
  if (typeof data.birthDate === 'string' && data.birthDate > today) {
    errors.push({ field: 'data.birthDate', messages: ['birthDate must not be in the future'] });
  }
  return errors;
}

/** A timestamp the contract accepted that falls after `limit`; one Date cannot read is left be. */
function isAfter(value: unknown, limit: number): boolean {
  if (typeof value !== 'string') return false;
  const at = Date.parse(value);
  return Number.isFinite(at) && at > limit;
}
