import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Matches, Max, Min } from 'class-validator';
import { PERSON_ID_PATTERN } from '@ruta/contracts';
import { IsDecisionCursor } from './decision-cursor';

export class ListDecisionsRequest {
  @ApiProperty({
    description: 'a pseudonymous person id',
    pattern: PERSON_ID_PATTERN.source,
    example: 'p-7f3a9c2e41b8',
  })
  @Matches(PERSON_ID_PATTERN, { message: 'personId must be a pseudonymous person id' })
  personId: string;

  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 200, default: 100 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(200)
  limit: number = 100;

  @ApiPropertyOptional({ description: 'the `next` cursor of the previous page' })
  @IsOptional()
  @IsString()
  @IsDecisionCursor()
  after?: string;
}
