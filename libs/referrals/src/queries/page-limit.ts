import { applyDecorators } from '@nestjs/common';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Max, Min } from 'class-validator';

/** The largest page a casework list answers, and the page it answers unasked. */
export const CASEWORK_PAGE_MAX = 200;
export const CASEWORK_PAGE_DEFAULT = 50;

/** A page size from 1 to CASEWORK_PAGE_MAX; give the property the default as its initialiser. */
export function PageLimit(): PropertyDecorator {
  return applyDecorators(
    ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: CASEWORK_PAGE_MAX, default: CASEWORK_PAGE_DEFAULT }),
    IsOptional(),
    Type(() => Number),
    IsInt(),
    Min(1),
    Max(CASEWORK_PAGE_MAX),
  );
}

/** `after`: the `nextCursor` of the previous page, checked by the list's own cursor validator. */
export function PageAfter(isCursor: () => PropertyDecorator): PropertyDecorator {
  return applyDecorators(
    ApiPropertyOptional({ description: 'the `nextCursor` of the previous page' }),
    IsOptional(),
    IsString(),
    isCursor(),
  );
}
