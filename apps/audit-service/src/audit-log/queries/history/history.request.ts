import { ApiPropertyOptional } from '@nestjs/swagger';
import { ID_PATTERN, PERSON_ID_PATTERN } from '@ruta/contracts';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, IsUUID, Length, Matches, Max, Min } from 'class-validator';
import { INSTANT_DOC, IsInstant, IsLogPosition, POSITION_DOC } from '../request-fields';
import type { HistoryFilter } from './history.query';

export const HISTORY_MAX_LIMIT = 10_000;
/** The widest time range one call may name: a year (the cursor pages through it). */
export const HISTORY_MAX_RANGE_DAYS = 366;

/**
 * One filter of the history (exactly one of personId, referralId, servicePointId, or from and
 * to; the controller checks that rule across fields), a cursor and a page size.
 */
export class HistoryRequest {
  @ApiPropertyOptional({
    description: 'a pseudonymous person id: entries whose subject is the person',
    example: 'p-7f3a9c2e41b8',
  })
  @IsOptional()
  @IsString()
  @Matches(PERSON_ID_PATTERN, { message: 'personId must be a pseudonymous person id' })
  personId?: string;

  @ApiPropertyOptional({ description: 'a referral id (uuid): entries whose data names the referral', format: 'uuid' })
  @IsOptional()
  @IsUUID(undefined, { message: 'referralId must be a referral id (a uuid)' })
  referralId?: string;

  @ApiPropertyOptional({
    description: 'a service point id: entries whose data names it',
    example: 'health-lajas-blancas',
  })
  @IsOptional()
  @IsString()
  @Length(1, 64, { message: 'servicePointId must be a service point id (1 to 64 characters)' })
  @Matches(ID_PATTERN, { message: 'servicePointId must be a service point id (letters, digits, ".", "_", ":" or "-")' })
  servicePointId?: string;

  @ApiPropertyOptional({ ...INSTANT_DOC, description: 'entries appended at or after this instant (with `to`)' })
  @IsOptional()
  @IsInstant('from')
  from?: string;

  @ApiPropertyOptional({ ...INSTANT_DOC, description: 'entries appended before this instant (with `from`)' })
  @IsOptional()
  @IsInstant('to')
  to?: string;

  @ApiPropertyOptional({ ...POSITION_DOC, description: 'the `nextCursor` of the previous answer' })
  @IsOptional()
  @IsLogPosition('after')
  after?: string;

  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: HISTORY_MAX_LIMIT, default: 1000 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(HISTORY_MAX_LIMIT)
  limit: number = 1000;

  @ApiPropertyOptional({
    description: "include the log's own audit.accessed entries (auditors' reads); left out by default",
    enum: ['true', 'false'],
    default: 'false',
  })
  @IsOptional()
  @IsIn(['true', 'false'], { message: 'includeAccesses must be true or false' })
  includeAccesses?: 'true' | 'false';
}

const FILTERS = ['personId', 'referralId', 'servicePointId', 'from'] as const;
const ONE_FILTER = 'give exactly one of personId, referralId, servicePointId, or from and to';
const DAY_MS = 86_400_000;

/**
 * The one filter a valid request names, or the fields at fault: none or several filters, a range
 * missing an end, ending before it starts or wider than HISTORY_MAX_RANGE_DAYS.
 */
export function historyFilterOf(request: HistoryRequest): HistoryFilter | { field: string; message: string }[] {
  const given = FILTERS.filter((field) => request[field] !== undefined);
  if (request.to !== undefined && request.from === undefined)
    return [{ field: 'from', message: 'from is required with to' }];
  if (given.length !== 1) {
    return (given.length === 0 ? FILTERS : given).map((field) => ({ field, message: ONE_FILTER }));
  }
  if (request.personId !== undefined) return { kind: 'person', personId: request.personId };
  if (request.referralId !== undefined) return { kind: 'referral', referralId: request.referralId.toLowerCase() };
  if (request.servicePointId !== undefined) return { kind: 'service-point', servicePointId: request.servicePointId };
  if (request.to === undefined) return [{ field: 'to', message: 'to is required with from' }];
  const from = new Date(request.from!);
  const to = new Date(request.to);
  if (to <= from) return [{ field: 'to', message: 'to must be later than from' }];
  if (to.getTime() - from.getTime() > HISTORY_MAX_RANGE_DAYS * DAY_MS) {
    return [{ field: 'to', message: `from and to may be at most ${HISTORY_MAX_RANGE_DAYS} days apart` }];
  }
  return { kind: 'range', from, to };
}
