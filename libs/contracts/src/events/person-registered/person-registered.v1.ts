import {
  ArrayMaxSize,
  IsArray,
  IsDefined,
  IsIn,
  IsInt,
  IsISO8601,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateIf,
} from 'class-validator';
import { IsCountryCode, IsOpaqueId, IsPersonId, IsStationId, IsTimestamp } from '../common';

export const PERSON_REGISTERED = 'person.registered';
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

  @IsIn(SEXES)
  sex: (typeof SEXES)[number];

  @IsCountryCode()
  nationality: string;

  @IsArray()
  @ArrayMaxSize(10)
  @IsString({ each: true })
  @MaxLength(35, { each: true })
  @Matches(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8}){0,3}$/, {
    each: true,
    message: 'languages must be BCP 47 codes such as es or ht',
  })
  languages: string[];

  @IsIn(CATEGORIES)
  category: (typeof CATEGORIES)[number];

  @IsOptional()
  @IsOpaqueId()
  householdId?: string;
}
