import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsUUID } from 'class-validator';
import { INSTANT_DOC, IsInstant } from '../request-fields';

export class ReferralStatePath {
  @ApiProperty({ description: 'the referral id', format: 'uuid' })
  @IsUUID(undefined, { message: 'referralId must be a referral id (a uuid)' })
  referralId: string;
}

export class ReferralStateRequest {
  @ApiPropertyOptional({
    ...INSTANT_DOC,
    description: 'the instant, on the events’ own time (CloudEvent `time`); default: now',
  })
  @IsOptional()
  @IsInstant('asOf')
  asOf?: string;
}
