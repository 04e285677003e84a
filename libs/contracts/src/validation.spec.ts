import 'reflect-metadata';
import { contractsByType } from './contract-registry';
import { INTAKE_EVENT_CONTRACTS } from './registry';
import { validateCloudEvent } from './validation';

const contracts = contractsByType(INTAKE_EVENT_CONTRACTS);

const registered = () => ({
  specversion: '1.0',
  id: 'evt-1',
  source: 'senafront/lajas-blancas',
  type: 'person.registered',
  subject: 'P-000123',
  data: {
    personId: 'P-000123',
    stationId: 'lajas-blancas',
    registeredAt: '2026-11-20T14:05:00Z',
    birthDate: '1997-03-02',
    sex: 'female',
    nationality: 'VEN',
    languages: ['es'],
    category: 'migrant',
  },
});

const fields = (raw: unknown) => {
  const result = validateCloudEvent(raw, contracts);
  return result.ok ? [] : result.errors.map((e) => e.field);
};

describe('validateCloudEvent', () => {
  it('accepts a valid person.registered event', () => {
    expect(validateCloudEvent(registered(), contracts)).toEqual({ ok: true, event: registered() });
  });

  it('names each field at fault, nested ones with their path', () => {
    const event = registered();
    event.data.nationality = 'Venezuela';
    (event.data as Record<string, unknown>).sex = '';
    expect(fields(event)).toEqual(['data.sex', 'data.nationality']);
  });

  it('refuses unknown fields in the envelope and in data, without repeating their names', () => {
    const event = { ...registered(), extra: 1, data: { ...registered().data, AnaGomez: 'Ana' } };
    expect(fields(event)).toEqual(['(unknown field)', 'data.(unknown field)']);
    expect(JSON.stringify(validateCloudEvent(event, contracts))).not.toMatch(/extra|AnaGomez/);
  });

  it('requires birthDate or ageYears', () => {
    const event = registered();
    delete (event.data as Partial<typeof event.data>).birthDate;
    expect(fields(event)).toEqual(['data.birthDate']);
    expect(fields({ ...event, data: { ...event.data, ageYears: 4 } })).toEqual([]);
  });

  it('refuses an unknown type and a subject that differs from data.personId', () => {
    expect(fields({ ...registered(), type: 'person.deleted' })).toEqual(['type']);
    expect(fields({ ...registered(), subject: 'P-999999' })).toEqual(['data.personId']);
  });

  it('validates screening indicators as booleans and refuses unknown indicators', () => {
    const screened = {
      ...registered(),
      type: 'vulnerability.screened',
      data: { personId: 'P-000123', screenedAt: '2026-11-20T15:00:00Z', indicators: { pregnant: 'yes', wings: true } },
    };
    expect(fields(screened).sort()).toEqual(['data.indicators.(unknown field)', 'data.indicators.pregnant']);
  });

  it('never echoes the rejected value in its messages', () => {
    const event = registered();
    event.data.nationality = 'Venezolana-secreta';
    const result = validateCloudEvent(event, contracts);
    expect(JSON.stringify(result)).not.toContain('Venezolana-secreta');
  });

  it('refuses a body that is not an object', () => {
    expect(fields([registered()])).toEqual(['']);
  });
});
