import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Length, MaxLength } from 'class-validator';
import { NOTE_MAX_LENGTH } from '../../domain/lifecycle';

/**
 * The bodies of the casework commands. They check shape and bounds only (400 naming the field);
 * which codes, sectors, types and bases are allowed is the lifecycle decider's call (422 naming
 * the field), so both answers come from one list each. Unknown fields are refused (whitelist).
 */
const CODE_LENGTH = 64;
/** A parsing bound; the decider allows NOTE_MAX_LENGTH characters once trimmed. */
const NOTE_READ_LENGTH = NOTE_MAX_LENGTH * 2;
const SUBJECT_LENGTH = 255;

/** accept, start, resume: no data (an empty object, or no body). */
export class NoDataRequest {}

/** reject, cancel, hold, fail. */
export class ReasonRequest {
  @ApiPropertyOptional({ description: "a reason code from the command's list", example: 'not-eligible' })
  @IsOptional()
  @IsString()
  @Length(1, CODE_LENGTH)
  reason?: string;

  @ApiPropertyOptional({
    description: `free text for the sector's own timeline (at most ${NOTE_MAX_LENGTH} characters); never published`,
  })
  @IsOptional()
  @IsString()
  @MaxLength(NOTE_READ_LENGTH)
  note?: string;
}

export class CompleteRequest {
  @ApiPropertyOptional({ description: 'an outcome code', example: 'service-provided' })
  @IsOptional()
  @IsString()
  @Length(1, CODE_LENGTH)
  outcome?: string;

  @ApiPropertyOptional({ description: `at most ${NOTE_MAX_LENGTH} characters; never published` })
  @IsOptional()
  @IsString()
  @MaxLength(NOTE_READ_LENGTH)
  note?: string;
}

/** assign, reassign: the caseworker's subject in the identity provider. */
export class AssignRequest {
  @ApiProperty({ description: "the caseworker's subject (the token's sub)", example: 'c2a4e1f0-cw-ana' })
  @IsString()
  @Length(1, SUBJECT_LENGTH)
  assignee: string;
}

export class TransferRequest {
  @ApiProperty({ description: 'a service point of the same sector, from reference data', example: 'health-los-planes' })
  @IsString()
  @Length(1, CODE_LENGTH)
  servicePointId: string;
}

export class ReferOnwardRequest extends ReasonRequest {
  @ApiProperty({ example: 'protection' })
  @IsString()
  @Length(1, CODE_LENGTH)
  toSector: string;

  @ApiProperty({ description: "one of the target sector's referral types", example: 'protection-assistance' })
  @IsString()
  @Length(1, CODE_LENGTH)
  referralType: string;

  @ApiProperty({ example: 'consent' })
  @IsString()
  @Length(1, CODE_LENGTH)
  legalBasis: string;
}
