import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Matches, Max, Min } from 'class-validator';
import { PERSON_ID_PATTERN } from '@ruta/contracts';
import { IsDecisionCursor } from './decision-cursor';

export class ListDecisionsRequest {
  @Matches(PERSON_ID_PATTERN, { message: 'personId must be a pseudonymous person id' })
  personId: string;

  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(200)
  limit: number = 100;

  @IsOptional()
  @IsString()
  @IsDecisionCursor()
  after?: string;
}
