import type { CloudEvent } from '@ruta/contracts';
import { DEFAULT_REFERENCE_DATA, DEFAULT_RULE_SETS, readsOf, type RuleSet } from '@ruta/routing';
import {
  consentRecorded,
  healthIncidentReported,
  householdLinked,
  personDeparted,
  personRegistered,
  personTransferred,
  sequenced,
  vulnerabilityScreened,
} from '@ruta/testing';
import { decideSectorBatch } from './sector-decider';
import type { SectorEffects } from './sector-effects';
import { emptyState, type SectorState } from './sector-state';

const policyOf = (ruleSet: RuleSet) => ({ ruleSet, reads: readsOf(ruleSet), referenceData: DEFAULT_REFERENCE_DATA });
const HEALTH = policyOf(DEFAULT_RULE_SETS.health);
const SOCIAL = policyOf(DEFAULT_RULE_SETS['social-development']);

/** A sector fed batch after batch, as its consumer would, with ids R-1, R-2, ... */
function sector(policy = SOCIAL) {
  const state: SectorState = emptyState();
  let ids = 0;
  const newId = () => `R-${++ids}`;
  return {
    state,
    /** Applies one batch; the effects of that batch alone. */
    when: (...events: CloudEvent[]): SectorEffects => decideSectorBatch(policy, state, events, newId),
    open: (person: string) => [...(state.open.get(person)?.values() ?? [])],
  };
}
const changes = (effects: SectorEffects) =>
  effects.changes.map((c) => `${c.kind}:${c.referral.type}:${c.referral.servicePointId}`);
const decisions = (effects: SectorEffects) =>
  effects.decisions.map((d) => `${d.personId}:${d.referralType}:${d.outcome}${d.reason ? `:${d.reason}` : ''}`);

describe('sector decider', () => {
  const P = 'P-100';

  describe('transfer', () => {
    it('moves open referrals nobody started to the new station, each move explained', () => {
      const s = sector();
      s.when(
        sequenced(personRegistered(P, { stationId: 'lajas-blancas' }), 1),
        sequenced(consentRecorded(P, ['social-development']), 2),
        sequenced(vulnerabilityScreened(P, { needsShelter: true, needsFood: true }), 3),
      );
      s.state.open.get(P)!.get('food-assistance')!.status = 'in-progress';

      const effects = s.when(sequenced(personTransferred(P, 'lajas-blancas', 'los-planes'), 4));

      expect(changes(effects)).toEqual(['reassigned:shelter:mides-los-planes']);
      expect(decisions(effects)).toEqual([`${P}:shelter:moved:person-transferred`]);
      expect(effects.changes[0]).toMatchObject({
        from: { servicePointId: 'mides-lajas-blancas', stationId: 'lajas-blancas' },
      });
      expect(
        s
          .open(P)
          .map((r) => `${r.type}@${r.servicePointId}`)
          .sort(),
      ).toEqual(['food-assistance@mides-lajas-blancas', 'shelter@mides-los-planes']);
    });

    it('leaves referrals where they are when an older transfer arrives late', () => {
      const s = sector();
      s.when(
        sequenced(personRegistered(P, { stationId: 'lajas-blancas' }), 1),
        sequenced(consentRecorded(P, ['social-development']), 2),
        sequenced(personTransferred(P, 'lajas-blancas', 'los-planes'), 5),
        sequenced(vulnerabilityScreened(P, { needsShelter: true }), 6),
      );
      const effects = s.when(sequenced(personTransferred(P, 'lajas-blancas', 'san-vicente'), 3));
      expect(effects.changes).toEqual([]);
      expect(s.open(P).map((r) => r.servicePointId)).toEqual(['mides-los-planes']);
    });

    it('places a referral made before the registration arrived at the station the registration names', () => {
      const s = sector();
      s.when(
        sequenced(consentRecorded(P, ['social-development']), 2),
        sequenced(vulnerabilityScreened(P, { needsFood: true }), 3),
      );
      expect(s.open(P).map((r) => r.servicePointId)).toEqual(['mides-darien']);
      const effects = s.when(sequenced(personRegistered(P, { stationId: 'san-vicente' }), 1));
      expect(changes(effects)).toEqual(['reassigned:food-assistance:mides-san-vicente']);
      expect(decisions(effects)).toEqual([`${P}:food-assistance:moved:station-recorded`]);
    });
  });

  describe('departure', () => {
    it('cancels every open referral with reason person-departed, and makes none afterwards', () => {
      const s = sector();
      s.when(
        sequenced(personRegistered(P), 1),
        sequenced(consentRecorded(P, ['social-development']), 2),
        sequenced(vulnerabilityScreened(P, { needsShelter: true }), 3),
      );
      const departed = s.when(sequenced(personDeparted(P), 4));
      expect(changes(departed)).toEqual(['cancelled:shelter:mides-lajas-blancas']);
      expect(decisions(departed)).toEqual([`${P}:shelter:cancelled:person-departed`]);

      const later = s.when(
        sequenced(vulnerabilityScreened(P, { needsShelter: true, needsFood: true, disability: true }), 5),
      );
      const late = s.when(sequenced(vulnerabilityScreened(P, { needsFood: true }), 3));
      expect([...later.changes, ...later.decisions, ...late.changes, ...late.decisions]).toEqual([]);
      expect(s.open(P)).toEqual([]);
    });
  });

  describe('household', () => {
    const HEAD = 'P-HEAD';
    const CHILD = 'P-CHILD';
    const link = () =>
      householdLinked(HEAD, [
        { personId: HEAD, relationship: 'head' },
        { personId: CHILD, relationship: 'child' },
      ]);
    const headFacts = () => [
      sequenced(personRegistered(HEAD, { ageYears: 34 }), 10),
      sequenced(consentRecorded(HEAD, ['social-development']), 11),
      sequenced(vulnerabilityScreened(HEAD, { needsFood: true }), 12),
    ];
    const familyAssistance = (s: ReturnType<typeof sector>) =>
      s.open(HEAD).filter((r) => r.type === 'family-assistance');

    it('refers the head when the child registered before the link', () => {
      const s = sector();
      s.when(sequenced(personRegistered(CHILD, { ageYears: 7 }), 1));
      s.when(...headFacts());
      const linked = s.when(sequenced(link(), 13));
      expect(decisions(linked)).toContain(`${HEAD}:family-assistance:referred`);
      expect(familyAssistance(s)).toHaveLength(1);
    });

    it("refers the head when the child registers after the link, on the child's event", () => {
      const s = sector();
      s.when(...headFacts(), sequenced(link(), 13));
      expect(familyAssistance(s)).toHaveLength(0);
      const registration = sequenced(personRegistered(CHILD, { ageYears: 7 }), 2);
      const effects = s.when(registration);
      expect(decisions(effects)).toEqual([`${HEAD}:family-assistance:referred`]);
      expect(effects.decisions[0]).toMatchObject({
        eventId: registration.id,
        inputs: {
          headOfHousehold: true,
          memberUnder18: true,
          needsFood: true,
          needsShelter: false,
          singleParent: false,
        },
      });
      expect(familyAssistance(s)).toHaveLength(1);
    });

    it('does not count an adult member, nor a child whose latest link names another head', () => {
      const s = sector();
      s.when(sequenced(personRegistered(CHILD, { ageYears: 19 }), 1));
      s.when(...headFacts(), sequenced(link(), 13));
      expect(familyAssistance(s)).toHaveLength(0);

      const t = sector();
      t.when(sequenced(personRegistered(CHILD, { ageYears: 7 }), 1));
      t.when(
        sequenced(
          householdLinked('P-OTHER', [
            { personId: 'P-OTHER', relationship: 'head' },
            { personId: CHILD, relationship: 'child' },
          ]),
          20,
        ),
      );
      t.when(...headFacts(), sequenced(link(), 13));
      expect(familyAssistance(t)).toHaveLength(0);
    });
  });

  describe('late and redriven events', () => {
    it('keeps a later declined consent when an older granted one is redriven', () => {
      const s = sector(HEALTH);
      s.when(sequenced(personRegistered(P), 1), sequenced(vulnerabilityScreened(P, { pregnant: true }), 2));
      s.when(sequenced(consentRecorded(P, ['health'], { informationSharing: 'declined' }), 9));
      const redriven = s.when(sequenced(consentRecorded(P, ['health']), 5));
      expect(redriven.changes).toEqual([]);
      expect(redriven.decisions).toEqual([]);
      expect(s.open(P)).toEqual([]);
    });

    it('applies a redelivered event once', () => {
      const s = sector(HEALTH);
      const events = [
        sequenced(personRegistered(P), 1),
        sequenced(consentRecorded(P, ['health']), 2),
        sequenced(vulnerabilityScreened(P, { pregnant: true }), 3),
      ];
      const first = s.when(...events);
      const again = s.when(...events);
      expect(changes(first)).toEqual(['requested:maternal-health:health-lajas-blancas']);
      expect([...again.changes, ...again.decisions]).toEqual([]);
    });
  });

  describe('decisions', () => {
    it('records a deferral once, not again on every event, then the referral when consent comes', () => {
      const s = sector(HEALTH);
      const first = s.when(
        sequenced(personRegistered(P), 1),
        sequenced(vulnerabilityScreened(P, { pregnant: true }), 2),
      );
      const second = s.when(sequenced(vulnerabilityScreened(P, { pregnant: true, injury: true }), 3));
      const consent = s.when(sequenced(consentRecorded(P, ['health']), 4));
      expect(decisions(first)).toEqual([`${P}:maternal-health:deferred:consent-required`]);
      expect(decisions(second)).toEqual([`${P}:medical-care:deferred:consent-required`]);
      expect(decisions(consent)).toEqual([`${P}:medical-care:referred`, `${P}:maternal-health:referred`]);
      expect(first.decisions[0]!.inputs).toEqual({});
    });

    it('refers a critical incident without consent, on vital interest', () => {
      const s = sector(HEALTH);
      const effects = s.when(
        sequenced(personRegistered(P), 1),
        sequenced(healthIncidentReported(P, 'critical', 'trauma'), 2),
      );
      expect(effects.decisions).toEqual([
        expect.objectContaining({ referralType: 'emergency-care', outcome: 'referred', legalBasis: 'vital-interest' }),
      ]);
    });

    it('does not make again a referral a caseworker closed, while its outcome stays referred', () => {
      // Given a referral routing made, which a caseworker then completed (the store loads open ones only)
      const s = sector(HEALTH);
      s.when(
        sequenced(personRegistered(P), 1),
        sequenced(consentRecorded(P, ['health']), 2),
        sequenced(vulnerabilityScreened(P, { pregnant: true }), 3),
      );
      expect(s.open(P).map((r) => r.type)).toEqual(['maternal-health']);
      s.state.open.get(P)!.delete('maternal-health');

      // When the next intake events still fire its rule
      const next = s.when(
        sequenced(vulnerabilityScreened(P, { pregnant: true }), 4),
        sequenced(personTransferred(P, 'lajas-blancas', 'los-planes'), 5),
      );

      // Then no referral is made, nor any decision recorded, for it
      expect(next.changes).toEqual([]);
      expect(decisions(next)).toEqual([]);
      expect(s.open(P)).toEqual([]);
    });

    it('still makes a referral whose outcome changes to referred: a deferral that consent lifts', () => {
      const s = sector(HEALTH);
      s.when(sequenced(personRegistered(P), 1), sequenced(vulnerabilityScreened(P, { pregnant: true }), 2));
      const consent = s.when(sequenced(consentRecorded(P, ['health']), 3));
      expect(changes(consent)).toEqual(['requested:maternal-health:health-lajas-blancas']);
    });

    it('raises the priority of the open referral instead of opening a second one', () => {
      const escalating: RuleSet = {
        sector: 'health',
        version: 'test-escalating',
        rules: [
          {
            type: 'care',
            priority: 'routine',
            inputs: ['injury'],
            fires: (c) => c.view.indicators?.value.injury === true,
            legalBasis: () => 'vital-interest',
          },
          {
            type: 'care',
            priority: 'emergency',
            inputs: ['criticalIncident'],
            fires: (c) => c.view.incidents?.critical === true,
            legalBasis: () => 'vital-interest',
          },
        ],
      };
      const s = sector(policyOf(escalating));
      s.when(sequenced(personRegistered(P), 1), sequenced(vulnerabilityScreened(P, { injury: true }), 2));
      const raised = s.when(sequenced(healthIncidentReported(P, 'critical'), 3));
      expect(changes(raised)).toEqual(['priority-raised:care:health-lajas-blancas']);
      expect(s.open(P)).toEqual([expect.objectContaining({ type: 'care', priority: 'emergency', id: 'R-1' })]);
    });
  });
});
