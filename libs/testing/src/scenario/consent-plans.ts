import type { Sector } from '@ruta/contracts';
import type { Prng } from './prng';

const ALL: Sector[] = ['health', 'social-development', 'protection'];

/** One consent.recorded of a person's plan, `after` hours after their registration. */
export interface PlannedConsent {
  after: number;
  informationSharing: 'granted' | 'declined';
  sectors: Sector[];
  guardianPersonId?: string;
}

/** An adult's consents over the stay: all, some or no sectors, declined, never asked, or changing later. */
export function adultConsents(rng: Prng): PlannedConsent[] {
  const first = rng.int(1, 4) / 2;
  const later = rng.int(20, 44);
  switch (
    rng.weighted({
      all: 45,
      partial: 20,
      declined: 10,
      none: 10,
      declinedThenAll: 7,
      partialThenAll: 5,
      allThenDeclined: 3,
    })
  ) {
    case 'all':
      return [{ after: first, informationSharing: 'granted', sectors: ALL }];
    case 'partial':
      return [{ after: first, informationSharing: 'granted', sectors: rng.properSubset(ALL) }];
    case 'declined':
      return [{ after: first, informationSharing: 'declined', sectors: rng.chance(0.5) ? ALL : [] }];
    case 'none':
      return [];
    case 'declinedThenAll':
      return [
        { after: first, informationSharing: 'declined', sectors: ALL },
        { after: later, informationSharing: 'granted', sectors: ALL },
      ];
    case 'partialThenAll':
      return [
        { after: first, informationSharing: 'granted', sectors: rng.properSubset(ALL) },
        { after: later, informationSharing: 'granted', sectors: ALL },
      ];
    default:
      return [
        { after: first, informationSharing: 'granted', sectors: ALL },
        { after: later, informationSharing: 'declined', sectors: ALL },
      ];
  }
}

/**
 * A child's consents: recorded by a guardian (counts), by the child alone (does not count), never,
 * or first by the child and later by a guardian.
 */
export function childConsents(rng: Prng, guardianPersonId: string, unaccompanied: boolean): PlannedConsent[] {
  const first = rng.int(1, 6) / 2;
  const later = rng.int(12, 40);
  const kind = unaccompanied
    ? rng.weighted({ guardian: 45, own: 30, none: 15, ownThenGuardian: 10 })
    : rng.weighted({ guardian: 60, guardianPartial: 10, own: 15, none: 10, ownThenGuardian: 5 });
  switch (kind) {
    case 'guardian':
      return [{ after: first, informationSharing: 'granted', sectors: ALL, guardianPersonId }];
    case 'guardianPartial':
      return [{ after: first, informationSharing: 'granted', sectors: rng.properSubset(ALL), guardianPersonId }];
    case 'own':
      return [{ after: first, informationSharing: 'granted', sectors: ALL }];
    case 'none':
      return [];
    default:
      return [
        { after: first, informationSharing: 'granted', sectors: ALL },
        { after: later, informationSharing: 'granted', sectors: ALL, guardianPersonId },
      ];
  }
}
