import { isISO8601, ValidateBy } from 'class-validator';

const MAX_BIGINT = 9223372036854775807n;

/** A position in the log (a cursor): a PostgreSQL bigint in decimal digits; larger ones were never handed out. */
export function IsLogPosition(field: string): PropertyDecorator {
  return ValidateBy({
    name: 'isLogPosition',
    validator: {
      validate: (value: unknown) =>
        typeof value === 'string' && /^\d{1,19}$/.test(value) && BigInt(value) <= MAX_BIGINT,
      defaultMessage: () => `${field} must be a cursor returned by a previous page`,
    },
  });
}

/** The instant an ISO 8601 date-time names, or undefined when it names none JavaScript and PostgreSQL agree on. */
export function instantOf(value: string): Date | undefined {
  if (!isISO8601(value, { strict: true, strictSeparator: true }) || !value.includes('T')) return undefined;
  const time = Date.parse(value);
  return Number.isNaN(time) || value.length > 40 ? undefined : new Date(time);
}

/** An ISO 8601 date-time with its offset (`2026-11-29T14:00:00Z`): an instant, never a local time. */
export function IsInstant(field: string): PropertyDecorator {
  return ValidateBy({
    name: 'isInstant',
    validator: {
      validate: (value: unknown) =>
        typeof value === 'string' && /(Z|[+-]\d{2}:?\d{2})$/i.test(value) && instantOf(value) !== undefined,
      defaultMessage: () => `${field} must be an ISO 8601 date-time with an offset, such as 2026-11-29T14:00:00Z`,
    },
  });
}

/** `position` and `after` as the documents show them. */
export const POSITION_DOC = { type: 'string', pattern: '^\\d{1,19}$', example: '1041' } as const;
export const INSTANT_DOC = { type: 'string', format: 'date-time', example: '2026-11-29T14:00:00Z' } as const;
