import {
  ArrayMaxSize,
  IsArray,
  IsDefined,
  IsIn,
  IsInt,
  IsISO8601,
  IsOptional,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateIf,
} from 'class-validator';
import { IsCountryCode, IsOpaqueId, IsOpenLabel, IsPersonId, IsStationId, IsTimestamp } from '../common';

export const PERSON_REGISTERED = 'person.registered';
/** Suggested values of the open label `sex`; any other label is stored as given. */
export const SEXES = ['female', 'male', 'other', 'unknown'] as const;
export const CATEGORIES = ['migrant', 'asylum-seeker', 'refugee', 'other-protection-need'] as const;

/** A person registered at a reception station. */
export class PersonRegisteredV1 {
  @IsPersonId()
  personId: string;

  @IsStationId()
  stationId: string;

  @IsTimestamp()
  registeredAt: string;

  @ValidateIf((o: PersonRegisteredV1) => o.ageYears === undefined || o.birthDate !== undefined)
  @IsDefined({ message: 'birthDate or ageYears is required' })
  @MaxLength(10)
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'birthDate must be a date as YYYY-MM-DD' })
  @IsISO8601({ strict: true })
  birthDate?: string;

  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(130)
  ageYears?: number;

  /** An open label; SEXES are the suggested values. */
  @IsOpenLabel()
  sex: string;

  @IsCountryCode()
  nationality: string;

  @IsArray()
  @ArrayMaxSize(10)
  /** Open labels, BCP 47 codes such as es or ht suggested. */
  @IsOpenLabel({ each: true })
  languages: string[];

  @IsIn(CATEGORIES)
  category: (typeof CATEGORIES)[number];

  @IsOptional()
  @IsOpaqueId()
  householdId?: string;
}
