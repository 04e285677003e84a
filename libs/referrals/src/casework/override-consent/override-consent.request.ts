import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength } from 'class-validator';
import { OVERRIDE_LEGAL_BASES } from '@ruta/contracts';
import { NOTE_MAX_LENGTH, REASONS } from '../../domain/lifecycle/reasons';

/**
 * The body of an override. Only the shape is checked here (unknown fields refused, strings
 * bounded): the decider checks basis, reason and note against their lists and answers 422 with a
 * stable code naming the field, the same on every channel.
 */
export class OverrideConsentRequest {
  @ApiPropertyOptional({
    description: 'required: the legal basis other than consent (422 DECISION.CONSENT_IS_NOT_A_BASIS for consent)',
    enum: OVERRIDE_LEGAL_BASES,
    example: 'vital-interest',
  })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  legalBasis?: string;

  @ApiPropertyOptional({
    description: 'required: a reason code',
    enum: REASONS['override-consent'],
    example: 'vital-interest-emergency',
  })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  reason?: string;

  @ApiPropertyOptional({
    description: `free text for the referral's timeline, required with reason other; never sent on Kafka nor echoed`,
    maxLength: NOTE_MAX_LENGTH,
  })
  @IsOptional()
  @IsString()
  @MaxLength(4 * NOTE_MAX_LENGTH)
  note?: string;
}
