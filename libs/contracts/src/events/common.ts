import {
  IsISO8601,
  IsString,
  Length,
  Matches,
  MaxLength,
  ValidateBy,
  type ValidationArguments,
  type ValidationOptions,
} from 'class-validator';
import {
  HasNoControlCharacters,
  ID_PATTERN,
  NO_CONTROL_CHARACTERS,
  PERSON_ID_PATTERN,
} from '../envelope/cloud-event.envelope';

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

/**
 * A name from reference data or a rule set (a referral type, a service point id): 1 to `max`
 * characters without control characters. Which names exist is the reader's check, not the contract's.
 */
export const IsReferenceName = (max = 64) => applyDecorators(IsString(), Length(1, max), HasNoControlCharacters());

/** Longest identity-provider subject an event names (an actor, an assignee). */
export const SUBJECT_MAX_LENGTH = 255;

/** Who acted or holds a referral: the token's subject, never a name. */
export const IsSubject = () => IsReferenceName(SUBJECT_MAX_LENGTH);

/** A reason or outcome code such as not-eligible: lower-case words joined by "-", never free text. */
export const LIFECYCLE_CODE_PATTERN = /^[a-z][a-z0-9-]*$/;

/** A reason (or outcome) code, its message naming the kind of code and an example of it. */
export const IsLifecycleCode = (what: 'reason' | 'outcome', example: string) =>
  applyDecorators(
    IsString(),
    Length(1, 64),
    Matches(LIFECYCLE_CODE_PATTERN, { message: `${what} must be a ${what} code such as ${example}` }),
  );

/** Longest open label (PRODUCT.md "How strict intake is": bounded, stored as given). */
export const MAX_LABEL_LENGTH = 64;

/**
 * An open label such as a household relationship or an incident category: any text of 1-64
 * characters without control characters, stored as given and never refused for its value.
 */
export const IsOpenLabel = (options: Pick<ValidationOptions, 'each'> = {}) =>
  applyDecorators(
    IsString(options),
    Length(1, MAX_LABEL_LENGTH, options),
    Matches(NO_CONTROL_CHARACTERS, { ...options, message: '$property must be a label without control characters' }),
  );

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
