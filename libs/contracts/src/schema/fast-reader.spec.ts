import 'reflect-metadata';
import { contractsByType } from '../contract-registry';
import { INTAKE_EVENT_CONTRACTS, REFERRAL_EVENT_CONTRACTS } from '../registry';
import { readCloudEvent, validateCloudEvent } from '../validation';
import { FastEventValidators } from './fast-reader';

const registry = contractsByType([...INTAKE_EVENT_CONTRACTS, ...REFERRAL_EVENT_CONTRACTS]);
const fast = new FastEventValidators(registry.contracts());
const contractOf = (type: string) => registry.get(type)!;

// Domain code imports no test infrastructure: the events are built here.
let n = 0;
const personId = () => `P-FAST-${++n}`;
const envelope = (type: string, subject: string, data: Record<string, unknown>) => ({
  specversion: '1.0' as const,
  id: `evt-${type}-${++n}`,
  source: 'senafront/lajas-blancas',
  type,
  subject,
  time: '2026-11-20T14:05:00Z',
  datacontenttype: 'application/json' as const,
  data,
});
const personRegistered = (id: string, overrides: Record<string, unknown> = {}) =>
  envelope('person.registered', id, {
    personId: id,
    stationId: 'lajas-blancas',
    registeredAt: '2026-11-20T14:05:00Z',
    ageYears: 29,
    sex: 'female',
    nationality: 'VEN',
    languages: ['es'],
    category: 'migrant',
    ...overrides,
  });
const vulnerabilityScreened = (id: string, indicators: Record<string, unknown>) =>
  envelope('vulnerability.screened', id, { personId: id, screenedAt: '2026-11-20T14:30:00Z', indicators });
const consentRecorded = (id: string, sectors: string[]) =>
  envelope('consent.recorded', id, {
    personId: id,
    informationSharing: 'granted',
    sectors,
    recordedAt: '2026-11-20T14:20:00Z',
  });

describe('FastEventValidators (the consumers hot path)', () => {
  const person = personId();
  const valid = [
    personRegistered(person),
    personRegistered(person, { ageYears: undefined, birthDate: '2019-02-28' }),
    vulnerabilityScreened(person, { injury: true, gbvRisk: true }),
    consentRecorded(person, ['health', 'protection']),
    { ...personRegistered(person, { sex: 'intersex', languages: ['Wayuunaiki'] }), sequence: '00000000000000000042' },
  ];

  it('accepts what the classes accept', () => {
    for (const event of valid) {
      expect(validateCloudEvent(event, registry).ok).toBe(true);
      expect(fast.accepts(event, contractOf(event.type))).toBe(true);
    }
  });

  it('refuses (and so defers to the classes) whatever the classes refuse', () => {
    const registered = personRegistered(person);
    const invalid = [
      { ...registered, subject: personId() }, // subject is not data.personId
      { ...registered, extra: 1 },
      { ...registered, data: { ...registered.data, sex: '' } },
      { ...registered, sequence: '42' }, // not 20 digits
      { ...registered, data: { ...registered.data, ageYears: undefined } }, // neither birthDate nor ageYears
      { ...registered, data: { ...registered.data, registeredAt: '2026-02-30T10:00:00Z' } },
      { ...registered, data: { ...registered.data, registeredAt: '2026-11-20 14:05:00Z' } }, // not "T"
      { ...registered, data: { ...registered.data, registeredAt: '2026-11-20t14:05:00z' } },
      { ...registered, data: { ...registered.data, registeredAt: '2026-12-31T23:59:60Z' } }, // leap second
      { ...registered, data: { ...registered.data, registeredAt: '0000-01-01T00:00:00Z' } }, // no year 0
      { ...registered, source: 'border\u0000service' }, // a NUL no database stores
      { ...registered, data: { ...registered.data, languages: Array(11).fill('es') } },
      vulnerabilityScreened(person, { injury: 'yes' }),
    ];
    for (const event of invalid) {
      expect(validateCloudEvent(event, registry).ok).toBe(false);
      expect(fast.accepts(event, contractOf(event.type))).toBe(false);
    }
  });

  it('leaves readCloudEvent answering as the classes do, field paths included', () => {
    const registered = personRegistered(person);
    const bad = { ...registered, data: { ...registered.data, sex: 'x'.repeat(65), nationality: 'Venezuela' } };
    const read = readCloudEvent(bad, registry);
    expect(read.ok).toBe(false);
    if (read.ok) return;
    expect(read.errors.map((e) => e.field).sort()).toEqual(['data.nationality', 'data.sex']);
    expect(readCloudEvent(registered, registry)).toEqual({
      ok: true,
      event: { ...registered, dataschema: 'urn:ruta:schema:person.registered:v1' },
    });
  });
});
