import { childConsents } from './consent-plans';
import {
  adultJourney,
  hoursAfter,
  type GroupContext,
  type GroupPlan,
  type Profile,
  type ScenarioPerson,
} from './groups';
import { personBasics, type PersonBasics } from './people';
import { personEvents, stationAt, type Journey } from './person-journey';
import { planned, type PlannedEvent } from './planned-event';
import { darienRoute } from './routes';

type Member = {
  basics: PersonBasics;
  profile: Profile;
  relationship: string;
  registersAt: number;
  journey?: Partial<Journey>;
};

/**
 * A family: a head (sometimes a single parent), maybe a partner, children, and sometimes a
 * grandparent or another relative; some register before the household link, some after it. A few
 * families are linked again later with one more member, and in a few a child moves to a relative's
 * household (their latest link is then that one).
 */
export function family(ctx: GroupContext, key: string, arrivesAt: number, separatedChild = false): GroupPlan {
  const { rng } = ctx;
  const householdId = ctx.nextHouseholdId();
  const route = darienRoute(rng, arrivesAt);
  const stay = (route.moves[0]?.at ?? arrivesAt + 48) - arrivesAt;
  const headAge = rng.int(22, 50);
  const headBasics = personBasics(rng, ctx.nextPersonId(), headAge, hoursAfter(ctx, arrivesAt));
  const kin = { nationality: headBasics.nationality, languages: headBasics.languages };
  const singleParent = !separatedChild && rng.chance(0.35);
  const member = (age: number, profile: Profile, relationship: string): Member => ({
    basics: personBasics(rng, ctx.nextPersonId(), age, hoursAfter(ctx, arrivesAt), kin),
    profile,
    relationship,
    registersAt: 0,
  });
  const members: Member[] = [];
  if (separatedChild) members.push(member(rng.int(6, 17), 'separated-child', rng.pick(['other', 'sibling'])));
  else {
    if (!singleParent) members.push(member(rng.int(20, 50), 'partner', 'spouse-partner'));
    const children = rng.int(1, 4);
    for (let i = 0; i < children; i++)
      members.push(member(rng.chance(0.3) ? rng.int(0, 4) : rng.int(5, 17), 'child', 'child'));
    if (rng.chance(0.2)) members.push(member(rng.int(58, 78), 'relative', 'parent'));
    if (rng.chance(0.15)) members.push(member(rng.int(15, 35), 'relative', rng.pick(['other', 'sibling'])));
  }
  // The link comes after the head's registration; the first `before` members register ahead of it.
  const before = rng.int(0, members.length);
  const linkAt = arrivesAt + 1.2;
  members.forEach(
    (m, i) => (m.registersAt = i < before ? arrivesAt + 0.3 + i * 0.1 : linkAt + rng.int(1, Math.max(2, stay - 4))),
  );
  const head: Member = {
    basics: headBasics,
    profile: singleParent ? 'single-parent' : 'head',
    relationship: 'head',
    registersAt: arrivesAt + 0.2,
  };
  const all = [head, ...members];
  const events: PlannedEvent[] = [];
  const link = (at: number, id: string, people: Member[], headId: string) =>
    planned(at, 'household.linked', headId, stationAt(route, at), {
      householdId: id,
      members: people.map((m) => ({
        personId: m.basics.personId,
        relationship: m.basics.personId === headId ? 'head' : m.relationship,
      })),
      headPersonId: headId,
    });
  events.push(link(linkAt, householdId, all, headBasics.personId));

  // Now and then a relative joins later, and the household is linked again with them in it.
  if (rng.chance(0.2)) {
    const joiner = member(rng.chance(0.5) ? rng.int(15, 17) : rng.int(18, 30), 'relative', 'other');
    const relinkAt = linkAt + rng.int(8, Math.max(9, stay - 2));
    joiner.registersAt = relinkAt + (rng.chance(0.5) ? -2 : 2);
    all.push(joiner);
    events.push(link(relinkAt, householdId, all, headBasics.personId));
  }
  const people: ScenarioPerson[] = all.map((m) => ({
    personId: m.basics.personId,
    profile: m.profile,
    ageYears: m.basics.ageYears,
    householdId,
  }));
  const householdOf = new Map(all.map((m) => [m, householdId]));

  // Now and then a child goes over to a relative's household (an aunt, an uncle) met at the station.
  const minors = all.filter((m) => m.basics.ageYears < 18 && m !== head);
  if (minors.length >= 2 && rng.chance(0.12)) {
    const moved = minors[minors.length - 1]!;
    const otherId = ctx.nextHouseholdId();
    const relative: Member = { ...member(rng.int(25, 55), 'head', 'head'), registersAt: arrivesAt + 2.5 };
    all.push(relative);
    householdOf.set(relative, otherId);
    people.push({
      personId: relative.basics.personId,
      profile: 'head',
      ageYears: relative.basics.ageYears,
      householdId: otherId,
    });
    const moveAt = Math.max(moved.registersAt, linkAt) + rng.int(2, 10);
    events.push(
      link(
        moveAt,
        otherId,
        [relative, { ...moved, relationship: rng.pick(['other', 'sibling']) }],
        relative.basics.personId,
      ),
    );
  }

  const guardian = headBasics.personId;
  for (const m of all) {
    const adult = m.basics.ageYears >= 18;
    const journey: Journey = {
      ...adultJourney(ctx, m.basics, m.registersAt, route),
      householdId: householdOf.get(m)!,
      ...(adult ? {} : { consents: childConsents(rng, guardian, false), asylumIntentAfter: undefined }),
      screened: {
        ageYears: m.basics.ageYears,
        sex: m.basics.sex,
        ...(m === head && singleParent ? { singleParent: true } : {}),
        ...(m.profile === 'separated-child' ? { alone: 'separated' as const } : {}),
      },
    };
    if (journey.asylumIntentAfter === undefined) delete journey.asylumIntentAfter;
    events.push(...personEvents(rng, journey));
  }
  return { key, people, events: events.sort((a, b) => a.at - b.at) };
}
