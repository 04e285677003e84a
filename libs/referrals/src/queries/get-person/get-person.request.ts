import { ApiProperty } from '@nestjs/swagger';
import { Matches } from 'class-validator';
import { PERSON_ID_PATTERN } from '@ruta/contracts';

export class GetPersonParams {
  @ApiProperty({
    description: 'a pseudonymous person id',
    pattern: PERSON_ID_PATTERN.source,
    example: 'p-7f3a9c2e41b8',
  })
  @Matches(PERSON_ID_PATTERN, { message: 'personId must be a pseudonymous person id' })
  personId: string;
}
