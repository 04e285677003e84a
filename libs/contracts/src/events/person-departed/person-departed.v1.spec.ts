import 'reflect-metadata';
import { contractsByType } from '../../contract-registry';
import { INTAKE_EVENT_CONTRACTS } from '../../registry';
import { validateCloudEvent } from '../../validation';

const contracts = contractsByType(INTAKE_EVENT_CONTRACTS);

const departed = (data: Record<string, unknown> = {}) => ({
  specversion: '1.0',
  id: 'evt-d1',
  source: 'senafront/los-planes',
  type: 'person.departed',
  subject: 'P-000123',
  data: { personId: 'P-000123', departedAt: '2026-11-22T06:00:00Z', ...data },
});

const fields = (raw: unknown) => {
  const result = validateCloudEvent(raw, contracts);
  return result.ok ? [] : result.errors.map((e) => e.field);
};

describe('person.departed v1', () => {
  it('accepts a valid departure', () => {
    expect(validateCloudEvent(departed(), contracts)).toEqual({ ok: true, event: departed() });
  });

  it('names each field at fault', () => {
    expect(fields(departed({ departedAt: 42 }))).toEqual(['data.departedAt']);
    expect(fields(departed({ personId: 'P-000124' }))).toEqual(['data.personId']);
    expect(fields(departed({ destination: 'SECRET' }))).toEqual(['data.(unknown field)']);
    expect(fields({ ...departed(), data: { personId: 'P-000123' } })).toEqual(['data.departedAt']);
  });

  it('never echoes submitted values', () => {
    const result = validateCloudEvent(departed({ departedAt: 'SECRET-time', destination: 'SECRET' }), contracts);
    expect(JSON.stringify(result)).not.toContain('SECRET');
  });
});
