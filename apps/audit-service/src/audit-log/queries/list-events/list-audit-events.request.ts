import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Matches, Max, Min } from 'class-validator';
import { PERSON_ID_PATTERN } from '@ruta/contracts';
import { IsLogPosition } from '../request-fields';

export class ListAuditEventsRequest {
  @ApiProperty({
    description: 'a pseudonymous person id',
    pattern: PERSON_ID_PATTERN.source,
    example: 'p-7f3a9c2e41b8',
  })
  @Matches(PERSON_ID_PATTERN, { message: 'subject must be a pseudonymous person id' })
  subject: string;

  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 1000, default: 100 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1000)
  limit: number = 100;

  @ApiPropertyOptional({ description: 'the `next` cursor of the previous page', pattern: '^\\d{1,19}$' })
  @IsOptional()
  @IsLogPosition('after')
  after?: string;
}
