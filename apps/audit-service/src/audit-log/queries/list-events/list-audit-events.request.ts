import { Type } from 'class-transformer';
import { IsInt, IsOptional, Matches, Max, Min } from 'class-validator';
import { PERSON_ID_PATTERN } from '@ruta/contracts';

export class ListAuditEventsRequest {
  @Matches(PERSON_ID_PATTERN, { message: 'subject must be a pseudonymous person id' })
  subject: string;

  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1000)
  limit: number = 100;

  @IsOptional()
  @Matches(/^\d{1,19}$/, { message: 'after must be a cursor returned by a previous page' })
  after?: string;
}
