import { IsIn } from 'class-validator';
import { IsOpenLabel, IsPersonId, IsTimestamp } from '../common';

export const HEALTH_INCIDENT_REPORTED = 'health.incident-reported';
export const HEALTH_INCIDENT_SEVERITIES = ['critical', 'urgent', 'routine'] as const;
export type HealthIncidentSeverity = (typeof HEALTH_INCIDENT_SEVERITIES)[number];
/** Suggested values of the open label `category` (PRODUCT.md); any other label is stored as given. */
export const HEALTH_INCIDENT_CATEGORIES = [
  'injury',
  'trauma',
  'illness',
  'respiratory',
  'infection',
  'maternal',
  'mental-health',
  'malnutrition',
  'other',
] as const;

/** A health incident seen at a station; incidents accumulate, none replaces another. */
export class HealthIncidentReportedV1 {
  @IsPersonId()
  personId: string;

  @IsTimestamp()
  reportedAt: string;

  @IsIn(HEALTH_INCIDENT_SEVERITIES)
  severity: HealthIncidentSeverity;

  /** What kind of incident: an open label, HEALTH_INCIDENT_CATEGORIES suggested. */
  @IsOpenLabel()
  category: string;
}
