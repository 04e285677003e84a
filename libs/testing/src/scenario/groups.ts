import { adultConsents } from './consent-plans';
import type { PersonBasics } from './people';
import type { Journey, Route } from './person-journey';
import type { PlannedEvent } from './planned-event';
import type { Prng } from './prng';

/** Who a person is in the scenario (for the figures; routing reads only their events). */
export type Profile =
  | 'adult'
  | 'pregnant'
  | 'elderly'
  | 'asylum'
  | 'head'
  | 'single-parent'
  | 'partner'
  | 'child'
  | 'relative'
  | 'unaccompanied-child'
  | 'separated-child';

export interface ScenarioPerson {
  personId: string;
  profile: Profile;
  ageYears: number;
  householdId?: string;
}

/** A household, or a person travelling alone: its events are planned together and never share a round. */
export interface GroupPlan {
  key: string;
  people: ScenarioPerson[];
  events: PlannedEvent[];
}

/** Mints the run's person and household ids, and the dates ages are measured against. */
export interface GroupContext {
  rng: Prng;
  start: Date;
  nextPersonId: () => string;
  nextHouseholdId: () => string;
}

export const hoursAfter = (ctx: GroupContext, hours: number) => new Date(ctx.start.getTime() + hours * 3_600_000);

export function adultJourney(
  ctx: GroupContext,
  basics: PersonBasics,
  registersAt: number,
  route: Route,
  extra: Partial<Journey> = {},
): Journey {
  const { rng } = ctx;
  return {
    basics,
    registersAt,
    route,
    consents: adultConsents(rng),
    screened: { ageYears: basics.ageYears, sex: basics.sex },
    ...(rng.chance(basics.category === 'asylum-seeker' ? 0.3 : 0.06) ? { asylumIntentAfter: rng.int(4, 30) } : {}),
    ...extra,
  };
}
