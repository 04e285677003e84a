import 'reflect-metadata';
import { contractsByType } from '../../contract-registry';
import { INTAKE_EVENT_CONTRACTS } from '../../registry';
import { validateCloudEvent } from '../../validation';

const contracts = contractsByType(INTAKE_EVENT_CONTRACTS);

const expressed = (data: Record<string, unknown> = {}) => ({
  specversion: '1.0',
  id: 'evt-a1',
  source: 'migracion/san-vicente',
  type: 'asylum.intent-expressed',
  subject: 'P-000123',
  data: { personId: 'P-000123', expressedAt: '2026-11-20T16:00:00-05:00', fearOfReturn: true, ...data },
});

const fields = (raw: unknown) => {
  const result = validateCloudEvent(raw, contracts);
  return result.ok ? [] : result.errors.map((e) => e.field);
};

describe('asylum.intent-expressed v1', () => {
  it('accepts a valid event', () => {
    expect(validateCloudEvent(expressed(), contracts)).toEqual({ ok: true, event: expressed() });
    expect(fields(expressed({ fearOfReturn: false }))).toEqual([]);
  });

  it('requires fearOfReturn as a boolean', () => {
    expect(fields(expressed({ fearOfReturn: 'yes' }))).toEqual(['data.fearOfReturn']);
    const { fearOfReturn: _, ...withoutFear } = expressed().data;
    expect(fields({ ...expressed(), data: withoutFear })).toEqual(['data.fearOfReturn']);
  });

  it('requires a timestamp, the subject as personId and no other field', () => {
    expect(fields(expressed({ expressedAt: '20/11/2026' }))).toEqual(['data.expressedAt']);
    expect(fields(expressed({ personId: 'P-000999' }))).toEqual(['data.personId']);
    expect(fields(expressed({ story: 'SECRET story' }))).toEqual(['data.(unknown field)']);
  });

  it('never echoes submitted values', () => {
    const result = validateCloudEvent(expressed({ expressedAt: 'SECRET-time', story: 'SECRET story' }), contracts);
    expect(JSON.stringify(result)).not.toContain('SECRET');
  });
});
