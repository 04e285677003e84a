import 'reflect-metadata';
import { contractsByType } from '../../contract-registry';
import type { CloudEvent } from '../../envelope/cloud-event';
import { INTAKE_EVENT_CONTRACTS, INTAKE_SUBMISSION_CONTRACTS } from '../../registry';
import { validateCloudEvent } from '../../validation';
import { splitDirectIdentifiers } from './split-direct-identifiers';

const published = contractsByType(INTAKE_EVENT_CONTRACTS);
const submissions = contractsByType(INTAKE_SUBMISSION_CONTRACTS);

const identifiers = {
  fullName: 'María Pérez Secreta',
  documentType: 'passport',
  documentNumber: 'X1234567',
  issuingCountry: 'VEN',
};

const submitted = (ids: Record<string, unknown> | null = identifiers) => ({
  specversion: '1.0' as const,
  id: 'evt-r1',
  source: 'senafront/lajas-blancas',
  type: 'person.registered',
  subject: 'P-000123',
  data: {
    personId: 'P-000123',
    stationId: 'lajas-blancas',
    registeredAt: '2026-11-20T14:05:00Z',
    ageYears: 29,
    sex: 'female',
    nationality: 'VEN',
    languages: ['es'],
    category: 'migrant',
    ...(ids ? { identifiers: ids } : {}),
  },
});

const fields = (raw: unknown, contracts = submissions) => {
  const result = validateCloudEvent(raw, contracts);
  return result.ok ? [] : result.errors.map((e) => e.field);
};

describe('person.registered submission v1 (direct identifiers)', () => {
  it('accepts identifiers in a submission, and a submission without them', () => {
    expect(fields(submitted())).toEqual([]);
    expect(fields(submitted(null))).toEqual([]);
    expect(fields(submitted({ documentNumber: 'AB-12/34' }))).toEqual([]);
    expect(fields(submitted({ fullName: 'Jean-Baptiste Dupont' }))).toEqual([]);
  });

  it('is refused by the published contract, so no consumer ever takes identifiers', () => {
    expect(fields(submitted(), published)).toEqual(['data.identifiers']);
    expect(fields(submitted(null), published)).toEqual([]);
  });

  it('requires fullName or documentNumber', () => {
    expect(fields(submitted({ documentType: 'passport', issuingCountry: 'VEN' }))).toEqual([
      'data.identifiers.fullName',
    ]);
    expect(fields(submitted({}))).toEqual(['data.identifiers.fullName']);
  });

  it('bounds each identifier and names the field at fault', () => {
    expect(fields(submitted({ fullName: 'a'.repeat(201) }))).toEqual(['data.identifiers.fullName']);
    expect(fields(submitted({ fullName: 'Ana\u0000' }))).toEqual(['data.identifiers.fullName']);
    expect(fields(submitted({ documentNumber: 'X'.repeat(65) }))).toEqual(['data.identifiers.documentNumber']);
    expect(fields(submitted({ documentNumber: '<script>' }))).toEqual(['data.identifiers.documentNumber']);
    expect(fields(submitted({ documentNumber: 'X1', documentType: 'driving-licence' }))).toEqual([
      'data.identifiers.documentType',
    ]);
    expect(fields(submitted({ documentNumber: 'X1', issuingCountry: 'Venezuela' }))).toEqual([
      'data.identifiers.issuingCountry',
    ]);
    expect(fields(submitted({ documentNumber: 'X1', birthPlace: 'Caracas' }))).toEqual([
      'data.identifiers.(unknown field)',
    ]);
    expect(fields(submitted('María' as never))).toEqual(['data.identifiers']);
  });

  it('never echoes an identifier in its errors', () => {
    const bad = { fullName: `María Pérez Secreta${'\u0007'}`, documentNumber: 'X1234567<>', issuingCountry: 'Secreta' };
    const result = validateCloudEvent(submitted(bad), submissions);
    expect(result.ok).toBe(false);
    const text = JSON.stringify(result);
    for (const value of ['María', 'Secreta', 'X1234567']) expect(text).not.toContain(value);
    expect(JSON.stringify(validateCloudEvent(submitted(), published))).not.toContain('X1234567');
  });
});

describe('splitDirectIdentifiers', () => {
  it('returns a copy without data.identifiers, fit for the published contract, and the identifiers', () => {
    const event = submitted() as CloudEvent;
    const split = splitDirectIdentifiers(event);
    expect(split.identifiers).toEqual(identifiers);
    expect(split.event).toEqual({ ...event, data: submitted(null).data });
    expect(JSON.stringify(split.event)).not.toContain('X1234567');
    expect(validateCloudEvent(split.event, published)).toEqual({ ok: true, event: split.event });
  });

  it('leaves its input as it was', () => {
    const event = submitted() as CloudEvent;
    const before = structuredClone(event);
    const split = splitDirectIdentifiers(event);
    expect(event).toEqual(before);
    expect(split.event).not.toBe(event);
    expect(split.identifiers).not.toBe((event.data as { identifiers: unknown }).identifiers);
  });

  it('returns no identifiers for an event without them', () => {
    const event = submitted(null) as CloudEvent;
    expect(splitDirectIdentifiers(event)).toEqual({ event });
  });
});
