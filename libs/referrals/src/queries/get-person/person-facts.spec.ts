import { personFacts } from './person-facts';

describe('personFacts', () => {
  it('answers the facts routing keeps, each by name, and the household size', () => {
    const view = {
      personId: 'p-1',
      lastSeq: 4,
      outcomes: { 'child-protection': 'referred' },
      basics: { seq: 1, value: { age: 9, sex: 'male', nationality: 'HTI', languages: ['ht', 'fr'] } },
      station: { seq: 3, value: 'san-vicente' },
      category: { seq: 1, value: 'asylum-seeker' },
      indicators: { seq: 2, value: { unaccompaniedChild: true, gbvRisk: false } },
      consent: { seq: 2, value: { informationSharing: 'granted', sectors: ['protection'], byGuardian: true } },
      asylumIntent: true,
      departed: true,
    };
    expect(personFacts(view, 4)).toEqual({
      age: 9,
      sex: 'male',
      nationality: 'HTI',
      languages: ['ht', 'fr'],
      stationId: 'san-vicente',
      householdSize: 4,
      category: 'asylum-seeker',
      indicators: { unaccompaniedChild: true, gbvRisk: false },
      consent: { informationSharing: 'granted', sectors: ['protection'], byGuardian: true },
      asylumIntent: true,
      departed: true,
    });
  });

  it('leaves out whatever it does not name: a birth date, a name, routing bookkeeping, malformed facts', () => {
    const view = {
      personId: 'p-1',
      lastSeq: 1,
      outcomes: { 'medical-care': 'deferred' },
      birthDate: '2017-02-03',
      name: 'Maria Perez',
      basics: { seq: 1, value: { sex: 'female', nationality: 'VEN', languages: ['es', 7], birthDate: '2017-02-03' } },
      station: { seq: 1, value: { id: 'x' } },
      indicators: { seq: 1, value: { pregnant: 'yes', injury: true } },
      incidents: { critical: 1, urgent: true },
    };
    const facts = personFacts(view, null);
    expect(facts).toEqual({
      sex: 'female',
      nationality: 'VEN',
      languages: ['es'],
      indicators: { injury: true },
      incidents: { critical: false, urgent: true },
    });
    expect(JSON.stringify(facts)).not.toMatch(/2017|Maria|deferred|lastSeq/);
  });

  it('answers no facts for an empty view', () => {
    expect(personFacts({ personId: 'p-1', lastSeq: 0, outcomes: {} }, null)).toEqual({});
  });
});
