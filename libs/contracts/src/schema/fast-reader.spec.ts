import 'reflect-metadata';
import { consentRecorded, personId, personRegistered, vulnerabilityScreened } from '@ruta/testing';
import { contractsByType } from '../contract-registry';
import { INTAKE_EVENT_CONTRACTS, REFERRAL_EVENT_CONTRACTS } from '../registry';
import { readCloudEvent, validateCloudEvent } from '../validation';
import { FastEventValidators } from './fast-reader';

const registry = contractsByType([...INTAKE_EVENT_CONTRACTS, ...REFERRAL_EVENT_CONTRACTS]);
const fast = new FastEventValidators(registry.contracts());
const contractOf = (type: string) => registry.get(type)!;

describe('FastEventValidators (the consumers hot path)', () => {
  const person = personId();
  const valid = [
    personRegistered(person),
    personRegistered(person, { ageYears: undefined, birthDate: '2019-02-28' }),
    vulnerabilityScreened(person, { injury: true, gbvRisk: true }),
    consentRecorded(person, ['health', 'protection']),
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
      { ...registered, data: { ...registered.data, sex: 'x' } },
      { ...registered, data: { ...registered.data, ageYears: undefined } }, // neither birthDate nor ageYears
      { ...registered, data: { ...registered.data, registeredAt: '2026-02-30T10:00:00Z' } },
      { ...registered, data: { ...registered.data, languages: Array(11).fill('es') } },
      vulnerabilityScreened(person, { injury: 'yes' } as never),
    ];
    for (const event of invalid) {
      expect(validateCloudEvent(event, registry).ok).toBe(false);
      expect(fast.accepts(event, contractOf(event.type))).toBe(false);
    }
  });

  it('leaves readCloudEvent answering as the classes do, field paths included', () => {
    const registered = personRegistered(person);
    const bad = { ...registered, data: { ...registered.data, sex: 'x', nationality: 'Venezuela' } };
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
