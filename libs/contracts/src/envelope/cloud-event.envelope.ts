import {
  Equals,
  IsDefined,
  IsIn,
  IsISO8601,
  IsObject,
  IsOptional,
  IsString,
  Length,
  Matches,
  MaxLength,
} from 'class-validator';

/** Ids are opaque tokens: printable, no spaces, bounded (they reach logs, keys and URLs). */
export const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._:-]*$/;
/** Free text with no control characters (a NUL, for one, no database will store). */
export const NO_CONTROL_CHARACTERS = /^[^\p{Cc}]*$/u;
export const HasNoControlCharacters = () =>
  Matches(NO_CONTROL_CHARACTERS, { message: '$property must not contain control characters' });
/** Pseudonymous person id: the number on the registration card. */
export const PERSON_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9-]{2,63}$/;

/** The CloudEvents 1.0 attributes Ruta takes; `data` is checked against its type's contract separately. */
export class CloudEventEnvelope {
  @Equals('1.0')
  specversion: '1.0';

  @IsString()
  @Length(1, 128)
  @Matches(ID_PATTERN, { message: 'id must be letters, digits, ".", "_", ":" or "-"' })
  id: string;

  @IsString()
  @Length(1, 256)
  @HasNoControlCharacters()
  source: string;

  @IsString()
  @Length(1, 128)
  type: string;

  @IsString()
  @MaxLength(64)
  @Matches(PERSON_ID_PATTERN, { message: 'subject must be a pseudonymous person id (3-64 letters, digits or "-")' })
  subject: string;

  @IsOptional()
  @IsString()
  @MaxLength(40)
  @IsISO8601({ strict: true })
  time?: string;

  @IsOptional()
  @IsIn(['application/json'])
  datacontenttype?: 'application/json';

  /** `urn:ruta:schema:<type>:v<n>`; absent means version 1 (see dataschema.ts). */
  @IsOptional()
  @IsString()
  @Length(1, 512)
  dataschema?: string;

  @IsDefined()
  @IsObject()
  data: Record<string, unknown>;
}

/** The CloudEvents Sequence extension as the gateway writes it: a 20-digit zero-padded decimal. */
export const SEQUENCE_PATTERN = /^\d{20}$/;

/** A position in a person's sequence as SEQUENCE_PATTERN writes it, so string order is numeric order. */
export const formatSequence = (position: number | string): string => String(position).padStart(20, '0');

/**
 * The envelope of a published intake event: also the gateway's per-person `sequence` (absent on
 * events of an older gateway). Submissions use CloudEventEnvelope, so a sender's `sequence` is refused.
 */
export class SequencedCloudEventEnvelope extends CloudEventEnvelope {
  @IsOptional()
  @IsString()
  @MaxLength(20)
  @Matches(SEQUENCE_PATTERN, { message: 'sequence must be a 20-digit decimal string' })
  sequence?: string;
}

/**
 * The `id` of a would-be event when it is a well-formed id, so a sender can match an answer or a
 * dead letter to what it sent; never any other content.
 */
export function wellFormedEventId(raw: unknown): string | undefined {
  if (typeof raw !== 'object' || raw === null || !Object.hasOwn(raw, 'id')) return undefined;
  const id = (raw as { id?: unknown }).id;
  return isWellFormedEventId(id) ? id : undefined;
}

/** An event id as the envelope allows it: 1-128 letters, digits, ".", "_", ":" or "-". */
export function isWellFormedEventId(id: unknown): id is string {
  return typeof id === 'string' && id.length <= 128 && ID_PATTERN.test(id);
}

/** Builds an envelope class restricted to the given event types. */
export function envelopeTypesMessage(types: readonly string[]): string {
  return `type must be one of: ${types.join(', ')}`;
}
