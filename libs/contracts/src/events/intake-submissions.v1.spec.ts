import 'reflect-metadata';
import { contractsByType } from '../contract-registry';
import { INTAKE_EVENT_CONTRACTS, INTAKE_SUBMISSION_CONTRACTS, REFERRAL_EVENT_CONTRACTS } from '../registry';
import { readCloudEvent, validateCloudEvent } from '../validation';

const published = contractsByType([...INTAKE_EVENT_CONTRACTS, ...REFERRAL_EVENT_CONTRACTS]);
const submissions = contractsByType(INTAKE_SUBMISSION_CONTRACTS);
const P = 'P-000123';
const AT = '2026-11-20T14:05:00Z';
const SEQUENCE = '00000000000000000042';

const event = (type: string, data: Record<string, unknown>, subject = P) => ({
  specversion: '1.0',
  id: `evt-${type}`,
  source: 'senafront/lajas-blancas',
  type,
  subject,
  time: AT,
  data,
});

/** One event of each intake type with its data time, and the name of that time field. */
const EVENTS: [string, string, Record<string, unknown>][] = [
  [
    'person.registered',
    'registeredAt',
    {
      personId: P,
      stationId: 'lajas-blancas',
      ageYears: 29,
      sex: 'f',
      nationality: 'VEN',
      languages: ['es'],
      category: 'migrant',
    },
  ],
  [
    'household.linked',
    'linkedAt',
    { householdId: 'H-1', members: [{ personId: P, relationship: 'tío' }], headPersonId: P },
  ],
  ['vulnerability.screened', 'screenedAt', { personId: P, indicators: { injury: true } }],
  ['consent.recorded', 'recordedAt', { personId: P, informationSharing: 'granted', sectors: ['health'] }],
  ['asylum.intent-expressed', 'expressedAt', { personId: P, fearOfReturn: true }],
  ['health.incident-reported', 'reportedAt', { personId: P, severity: 'critical', category: 'respiratory' }],
  ['person.transferred', 'transferredAt', { personId: P, fromStationId: 'lajas-blancas', toStationId: 'los-planes' }],
  ['person.departed', 'departedAt', { personId: P }],
];

const fields = (raw: unknown, contracts = submissions) => {
  const result = validateCloudEvent(raw, contracts);
  return result.ok ? [] : result.errors.map((e) => e.field);
};

describe('intake submissions v1 and published intake events v1', () => {
  it.each(EVENTS)('a %s submission may leave out %s; the published event may not', (type, timeField, data) => {
    expect(fields(event(type, data))).toEqual([]);
    expect(fields(event(type, { ...data, [timeField]: AT }))).toEqual([]);
    expect(fields(event(type, { ...data, [timeField]: 'yesterday' }))).toEqual([`data.${timeField}`]);
    expect(fields(event(type, data), published)).toEqual([`data.${timeField}`]);
    expect(fields(event(type, { ...data, [timeField]: AT }), published)).toEqual([]);
  });

  it('names the data time field of every intake contract, published and submitted alike', () => {
    expect(INTAKE_EVENT_CONTRACTS.map((c) => [c.type, c.timeField])).toEqual(
      EVENTS.map(([type, field]) => [type, field]),
    );
    expect(INTAKE_SUBMISSION_CONTRACTS.map((c) => c.timeField)).toEqual(INTAKE_EVENT_CONTRACTS.map((c) => c.timeField));
  });

  it('takes `sequence` (20 digits) on a published intake event only', () => {
    const [type, timeField, data] = EVENTS[0]!;
    const sequenced = { ...event(type, { ...data, [timeField]: AT }), sequence: SEQUENCE };
    expect(fields(sequenced, published)).toEqual([]);
    expect(readCloudEvent(sequenced, published)).toMatchObject({ ok: true, event: { sequence: SEQUENCE } });
    for (const bad of ['42', '0000000000000000004x', `${SEQUENCE}0`, 42]) {
      expect(fields({ ...sequenced, sequence: bad }, published)).toEqual(['sequence']);
    }
    // A sender never sets it: the gateway does.
    expect(fields(sequenced)).toEqual(['sequence']);
    const referral = {
      ...event('referral.requested', {}),
      sequence: SEQUENCE,
    };
    expect(fields(referral, published)).toContain('sequence');
  });
});
