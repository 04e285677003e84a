import type { LegalBasis, Priority, Sector } from '@ruta/contracts';

export const REFERRAL_STATUSES = [
  'requested',
  'accepted',
  'rejected',
  'cancelled',
  'in-progress',
  'on-hold',
  'completed',
  'failed',
] as const;
export type ReferralStatus = (typeof REFERRAL_STATUSES)[number];

/** Statuses in which a referral still counts as open: one per (person, sector, type). */
export const OPEN_STATUSES: readonly ReferralStatus[] = ['requested', 'accepted', 'in-progress', 'on-hold'];

export interface Referral {
  id: string;
  personId: string;
  sector: Sector;
  type: string;
  priority: Priority;
  status: ReferralStatus;
  servicePointId: string;
  stationId: string | null;
  legalBasis: LegalBasis;
  ruleSetVersion: string;
  decisionInputs: Record<string, unknown>;
  sourceEventId: string;
  createdAt: string;
}

const RANK: Record<Priority, number> = { routine: 0, urgent: 1, emergency: 2 };

export function isHigherPriority(candidate: Priority, current: Priority): boolean {
  return RANK[candidate] > RANK[current];
}
