import { IsDefined, IsIn, IsOptional, IsString, Length, Matches, MaxLength, ValidateIf } from 'class-validator';
import { IsCountryCode } from '../common';

export const DOCUMENT_TYPES = ['passport', 'national-id', 'birth-certificate', 'other'] as const;
export type DocumentType = (typeof DOCUMENT_TYPES)[number];
/** Letters and digits, inner spaces, "-", "/" or "."; no control characters or markup. */
export const DOCUMENT_NUMBER_PATTERN = /^[A-Za-z0-9](?:[A-Za-z0-9 ./-]{0,62}[A-Za-z0-9])?$/;
/** Any text without control characters (names come in every script). */
export const FULL_NAME_PATTERN = /^\P{Cc}+$/u;

/**
 * Name and document of a person, as a border service may submit them. Only the intake gateway
 * reads them, to store them encrypted: they are never published (see splitDirectIdentifiers).
 */
export class DirectIdentifiersV1 {
  @ValidateIf((o: DirectIdentifiersV1) => o.documentNumber === undefined || o.fullName !== undefined)
  @IsDefined({ message: 'fullName or documentNumber is required' })
  @IsString()
  @Length(1, 200)
  @Matches(FULL_NAME_PATTERN, { message: 'fullName must not contain control characters' })
  fullName?: string;

  @IsOptional()
  @IsIn(DOCUMENT_TYPES)
  documentType?: DocumentType;

  @IsOptional()
  @IsString()
  @MaxLength(64)
  @Matches(DOCUMENT_NUMBER_PATTERN, {
    message: 'documentNumber must be letters and digits, with inner spaces, ".", "/" or "-"',
  })
  documentNumber?: string;

  @IsOptional()
  @IsCountryCode()
  issuingCountry?: string;
}
