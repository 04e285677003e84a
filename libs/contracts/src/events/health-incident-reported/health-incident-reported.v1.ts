import { IsIn } from 'class-validator';
import { IsPersonId, IsTimestamp } from '../common';

export const HEALTH_INCIDENT_REPORTED = 'health.incident-reported';
export const HEALTH_INCIDENT_SEVERITIES = ['critical', 'urgent', 'routine'] as const;
export type HealthIncidentSeverity = (typeof HEALTH_INCIDENT_SEVERITIES)[number];
export const HEALTH_INCIDENT_CATEGORIES = [
  'injury',
  'illness',
  'pregnancy-complication',
  'mental-health-crisis',
  'malnutrition',
  'other',
] as const;
export type HealthIncidentCategory = (typeof HEALTH_INCIDENT_CATEGORIES)[number];

/** A health incident seen at a station; incidents accumulate, none replaces another. */
export class HealthIncidentReportedV1 {
  @IsPersonId()
  personId: string;

  @IsTimestamp()
  reportedAt: string;

  @IsIn(HEALTH_INCIDENT_SEVERITIES)
  severity: HealthIncidentSeverity;

  @IsIn(HEALTH_INCIDENT_CATEGORIES)
  category: HealthIncidentCategory;
}
