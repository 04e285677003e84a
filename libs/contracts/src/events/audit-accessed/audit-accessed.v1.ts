import { Type } from 'class-transformer';
import {
  IsDefined,
  IsInt,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { ID_PATTERN } from '../../envelope/cloud-event.envelope';
import { IsPersonId, IsReferenceName, IsSubject, IsTimestamp } from '../common';

export const AUDIT_ACCESSED = 'audit.accessed';

/**
 * The envelope subject (and Kafka key) of a read that names no person: a fixed pseudonymous
 * subject, so every such read sits in one ordered stream. A read naming a person has that person as subject.
 */
export const AUDIT_READS_SUBJECT = 'audit-reads';

/** A route as the router knows it: method and path template, never a value from the request. */
export const AUDIT_ROUTE_PATTERN = /^(GET|POST) \/[A-Za-z0-9/:._-]{1,120}$/;

/**
 * The rest of what the auditor asked, as sent (already validated by the route): times, cursors,
 * sizes. Each bounded; what they mean depends on the route (`from` is a time on the history and a
 * tree size on a consistency proof).
 */
export class AuditAccessParametersV1 {
  @IsOptional()
  @IsReferenceName(40)
  from?: string;

  @IsOptional()
  @IsReferenceName(40)
  to?: string;

  @IsOptional()
  @IsReferenceName(40)
  asOf?: string;

  @IsOptional()
  @IsReferenceName(20)
  after?: string;

  @IsOptional()
  @IsReferenceName(20)
  limit?: string;

  @IsOptional()
  @IsReferenceName(20)
  treeSize?: string;

  @IsOptional()
  @IsReferenceName(8)
  includeAccesses?: string;

  @IsOptional()
  @IsString()
  @Length(1, 128)
  @Matches(ID_PATTERN, { message: 'eventId must be letters, digits, ".", "_", ":" or "-"' })
  eventId?: string;
}

/**
 * An auditor read the audit log: who (the token's subject), which route, about whom and what, and
 * how it was answered. The audit service logs it in its own log, so reading the log leaves a
 * trace as tamper-evident as everything read. No token, header or answer content travels.
 */
export class AuditAccessedV1 {
  /** The auditor's subject at the identity provider, never a name. */
  @IsSubject()
  actor: string;

  @IsString()
  @MaxLength(128)
  @Matches(AUDIT_ROUTE_PATTERN, { message: 'route must be a method and a route path such as GET /v1/audit/history' })
  route: string;

  /** The person the read named, if any; then also the event's subject. */
  @IsOptional()
  @IsPersonId()
  personId?: string;

  @IsOptional()
  @IsUUID()
  @MaxLength(36)
  referralId?: string;

  @IsOptional()
  @IsReferenceName()
  servicePointId?: string;

  @IsDefined()
  @ValidateNested()
  @Type(() => AuditAccessParametersV1)
  parameters: AuditAccessParametersV1;

  /** The HTTP status the read was answered with (a streamed answer: 200 once it started). */
  @IsInt()
  @Min(100)
  @Max(599)
  status: number;

  @IsTimestamp()
  accessedAt: string;
}
