import { ApiProperty } from '@nestjs/swagger';
import { ERASURE_REASONS, PERSON_ID_PATTERN, type ErasureReason } from '@ruta/contracts';
import { IsIn, Matches } from 'class-validator';

/** The person of POST /v1/admin/people/{personId}:erase. */
export class ErasePersonParams {
  @ApiProperty({
    description: 'a pseudonymous person id',
    pattern: PERSON_ID_PATTERN.source,
    example: 'p-7f3a9c2e41b8',
  })
  @Matches(PERSON_ID_PATTERN, { message: 'personId must be a pseudonymous person id' })
  personId: string;
}

/** Why: a code from a closed list (recorded in person.erased for the audit log), never free text. */
export class ErasePersonRequest {
  @ApiProperty({ enum: ERASURE_REASONS, example: 'data-subject-request' })
  @IsIn(ERASURE_REASONS, { message: `reason must be one of ${ERASURE_REASONS.join(', ')}` })
  reason: ErasureReason;
}
