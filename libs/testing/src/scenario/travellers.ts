import { childConsents } from './consent-plans';
import { adultJourney, hoursAfter, type GroupContext, type GroupPlan } from './groups';
import { personBasics } from './people';
import { personEvents, type Journey } from './person-journey';
import { darienRoute } from './routes';

/** One person travelling alone: an adult, a pregnant woman, an older person, or someone seeking asylum. */
export function loneAdult(
  ctx: GroupContext,
  key: string,
  arrivesAt: number,
  profile: 'adult' | 'pregnant' | 'elderly' | 'asylum',
): GroupPlan {
  const { rng } = ctx;
  const age = profile === 'elderly' ? rng.int(58, 82) : profile === 'pregnant' ? rng.int(17, 40) : rng.int(18, 55);
  const sex = profile === 'pregnant' ? 'female' : undefined;
  const basics = personBasics(rng, ctx.nextPersonId(), age, hoursAfter(ctx, arrivesAt), undefined, sex);
  const route = darienRoute(rng, arrivesAt);
  const journey = adultJourney(
    ctx,
    basics,
    arrivesAt + 0.2,
    route,
    profile === 'asylum' ? { asylumIntentAfter: rng.int(2, 20) } : {},
  );
  if (profile === 'pregnant') journey.screened = { ...journey.screened, pregnant: true };
  return { key, people: [{ personId: basics.personId, profile, ageYears: age }], events: personEvents(rng, journey) };
}

/** A child with no adult at all: guardian consent comes from a temporary guardian, or not at all. */
export function unaccompaniedChild(ctx: GroupContext, key: string, arrivesAt: number): GroupPlan {
  const { rng } = ctx;
  const age = rng.int(11, 17);
  const basics = personBasics(rng, ctx.nextPersonId(), age, hoursAfter(ctx, arrivesAt));
  const guardian = ctx.nextPersonId();
  const journey: Journey = {
    basics,
    registersAt: arrivesAt + 0.2,
    route: darienRoute(rng, arrivesAt),
    consents: childConsents(rng, guardian, true),
    screened: { ageYears: age, sex: basics.sex, alone: 'unaccompanied' },
    ...(rng.chance(0.15) ? { asylumIntentAfter: rng.int(4, 24) } : {}),
  };
  return {
    key,
    people: [{ personId: basics.personId, profile: 'unaccompanied-child', ageYears: age }],
    events: personEvents(rng, journey),
  };
}
