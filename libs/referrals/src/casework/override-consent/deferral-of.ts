import type { Sector } from '@ruta/contracts';
import { servicePointFor, type PersonView, type ReferenceData } from '@ruta/routing';
import type { Deferral } from '../../domain/lifecycle/consent-override';
import type { DecisionRow } from './override-consent.store';

/** What the store read about a decision, under the person's lock. */
export interface DeferralFacts {
  decision: DecisionRow;
  /** The person's latest decision on the same referral type. */
  latest: DecisionRow | undefined;
  openReferral: boolean;
  view: PersonView | undefined;
}

/**
 * The deferral the decider judges: deferred only while it is the person's latest decision on that
 * type and no referral of the type is open; overridden when the latest decision is its override;
 * otherwise consent came (or casework moved on) and it is no longer deferred. The point is where
 * routing would send the referral now: the sector's point at the person's station, else the default.
 */
export function deferralOf(facts: DeferralFacts, sector: Sector, referenceData: ReferenceData): Deferral {
  const { decision, latest, view } = facts;
  const standing = latest?.id === decision.id && decision.outcome === 'deferred' && !facts.openReferral;
  const overridden = latest?.outcome === 'overridden' && latest.inputs.overriddenDecisionId === decision.id;
  return {
    decisionId: decision.id,
    personId: decision.personId,
    sector,
    referralType: decision.referralType,
    servicePointId: servicePointFor(referenceData, sector, view?.station?.value),
    status: standing ? 'deferred' : overridden ? 'overridden' : 'referred',
    personDeparted: view?.departed === true,
  };
}
