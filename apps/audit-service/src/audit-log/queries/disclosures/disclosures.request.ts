import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { PERSON_ID_PATTERN } from '@ruta/contracts';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Matches, Max, Min } from 'class-validator';
import { IsLogPosition, POSITION_DOC } from '../request-fields';

export class DisclosuresPath {
  @ApiProperty({
    description: 'a pseudonymous person id',
    pattern: PERSON_ID_PATTERN.source,
    example: 'p-7f3a9c2e41b8',
  })
  @IsString()
  @Matches(PERSON_ID_PATTERN, { message: 'personId must be a pseudonymous person id' })
  personId: string;
}

export class DisclosuresRequest {
  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 1000, default: 100 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1000)
  limit: number = 100;

  @ApiPropertyOptional({ ...POSITION_DOC, description: 'the `nextCursor` of the previous page' })
  @IsOptional()
  @IsLogPosition('after')
  after?: string;
}
