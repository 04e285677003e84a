import { IsISO8601, IsString, Length, Matches } from 'class-validator';
import { ID_PATTERN, PERSON_ID_PATTERN } from '../envelope/cloud-event.envelope';

/** Composes property decorators, so contracts need no framework. */
function applyDecorators(...decorators: PropertyDecorator[]): PropertyDecorator {
  return (target, key) => decorators.forEach((decorate) => decorate(target, key));
}

export const STATION_ID_PATTERN = /^[a-z0-9][a-z0-9-]{1,63}$/;

export const IsPersonId = () =>
  applyDecorators(
    IsString(),
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
    Matches(STATION_ID_PATTERN, { message: '$property must be a station id such as lajas-blancas' }),
  );

export const IsTimestamp = () => applyDecorators(IsString(), IsISO8601({ strict: true, strictSeparator: true }));
