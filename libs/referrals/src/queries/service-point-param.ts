import { applyDecorators } from '@nestjs/common';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Length, Matches } from 'class-validator';
import { STATION_ID_PATTERN } from '@ruta/contracts';

/** An optional service point id query parameter, as the list of referrals reads it. */
export function ServicePointParam(description: string): PropertyDecorator {
  return applyDecorators(
    ApiPropertyOptional({ description, pattern: STATION_ID_PATTERN.source, example: 'health-lajas-blancas' }),
    IsOptional(),
    IsString(),
    Length(1, 64),
    Matches(STATION_ID_PATTERN, { message: 'servicePointId must be a service point id such as health-lajas-blancas' }),
  );
}
