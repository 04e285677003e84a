import { IsISO8601, IsString, Length, Matches, MaxLength, ValidateBy, type ValidationArguments } from 'class-validator';
import { ID_PATTERN, PERSON_ID_PATTERN } from '../envelope/cloud-event.envelope';

/** Composes property decorators, so contracts need no framework. */
function applyDecorators(...decorators: PropertyDecorator[]): PropertyDecorator {
  return (target, key) => decorators.forEach((decorate) => decorate(target, key));
}

export const STATION_ID_PATTERN = /^[a-z0-9][a-z0-9-]{1,63}$/;
/** ISO 3166-1 alpha-3, upper case. */
export const COUNTRY_CODE_PATTERN = /^[A-Z]{3}$/;
/** Longest ISO 8601 timestamp we take: nanoseconds and an offset fit in 35 characters. */
export const MAX_TIMESTAMP_LENGTH = 40;

export const IsPersonId = () =>
  applyDecorators(
    IsString(),
    MaxLength(64),
    Matches(PERSON_ID_PATTERN, { message: '$property must be a pseudonymous person id (3-64 letters, digits or "-")' }),
  );

export const IsOpaqueId = () =>
  applyDecorators(
    IsString(),
    Length(1, 64),
    Matches(ID_PATTERN, { message: '$property must be letters, digits, ".", "_", ":" or "-"' }),
  );

export const IsStationId = () =>
  applyDecorators(
    IsString(),
    MaxLength(64),
    Matches(STATION_ID_PATTERN, { message: '$property must be a station id such as lajas-blancas' }),
  );

export const IsTimestamp = () =>
  applyDecorators(IsString(), MaxLength(MAX_TIMESTAMP_LENGTH), IsISO8601({ strict: true, strictSeparator: true }));

export const IsCountryCode = () =>
  applyDecorators(
    IsString(),
    MaxLength(3),
    Matches(COUNTRY_CODE_PATTERN, { message: '$property must be an ISO 3166-1 alpha-3 code such as VEN' }),
  );

/** The value must differ from the sibling property `other` (messages name both, never the values). */
export const DiffersFrom = (other: string) =>
  ValidateBy({
    name: 'differsFrom',
    constraints: [other],
    validator: {
      validate: (value: unknown, args?: ValidationArguments) =>
        value !== (args?.object as Record<string, unknown> | undefined)?.[other],
      defaultMessage: (args?: ValidationArguments) => `${args?.property ?? 'value'} must differ from ${other}`,
    },
  });
