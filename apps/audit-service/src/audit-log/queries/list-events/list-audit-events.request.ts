import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Matches, Max, Min, ValidateBy } from 'class-validator';
import { PERSON_ID_PATTERN } from '@ruta/contracts';

const MAX_BIGINT = 9223372036854775807n;

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
  @IsString()
  @Matches(/^\d{1,19}$/, { message: 'after must be a cursor returned by a previous page' })
  @ValidateBy({
    name: 'isAuditPosition',
    validator: {
      // A position in the log is a PostgreSQL bigint: larger numbers were never handed out.
      validate: (value: unknown) =>
        typeof value === 'string' && /^\d{1,19}$/.test(value) && BigInt(value) <= MAX_BIGINT,
      defaultMessage: () => 'after must be a cursor returned by a previous page',
    },
  })
  after?: string;
}
