import type { PersonView } from '@ruta/routing';
import type { Referral } from '../../domain/referral';

/** An open referral as routing sees it: enough to raise, move or cancel it and explain why. */
export type OpenReferral = Pick<
  Referral,
  'id' | 'type' | 'priority' | 'status' | 'servicePointId' | 'stationId' | 'legalBasis' | 'ruleSetVersion'
>;

/** The latest household.linked naming a person: its head, its size and its place in the sequence. */
export interface Membership {
  headPersonId: string;
  size: number;
  seq: number;
}

/**
 * What the store loaded, under the people's locks, for one batch: the views of the people to
 * evaluate, their open referrals, the household memberships the batch touches and the members' ages.
 */
export interface SectorState {
  views: Map<string, PersonView>;
  open: Map<string, Map<string, OpenReferral>>;
  memberships: Map<string, Membership>;
  /** Age of each person the households in play name, where known. */
  ages: Map<string, number | undefined>;
}

export function emptyState(): SectorState {
  return { views: new Map(), open: new Map(), memberships: new Map(), ages: new Map() };
}
