import 'reflect-metadata';
import { contractsByType } from '../../contract-registry';
import { INTAKE_EVENT_CONTRACTS } from '../../registry';
import { HEALTH_INCIDENT_CATEGORIES } from './health-incident-reported.v1';
import { validateCloudEvent } from '../../validation';

const contracts = contractsByType(INTAKE_EVENT_CONTRACTS);

const reported = (data: Record<string, unknown> = {}) => ({
  specversion: '1.0',
  id: 'evt-hi1',
  source: 'minsa/lajas-blancas',
  type: 'health.incident-reported',
  subject: 'P-000123',
  data: { personId: 'P-000123', reportedAt: '2026-11-20T16:30:00Z', severity: 'urgent', category: 'injury', ...data },
});

const fields = (raw: unknown) => {
  const result = validateCloudEvent(raw, contracts);
  return result.ok ? [] : result.errors.map((e) => e.field);
};

describe('health.incident-reported v1', () => {
  it('accepts every severity of the closed list, and any category label', () => {
    for (const severity of ['critical', 'urgent', 'routine']) expect(fields(reported({ severity }))).toEqual([]);
    for (const category of [...HEALTH_INCIDENT_CATEGORIES, 'broken-heart', 'Dengue (sospecha)', 'x'.repeat(64)]) {
      expect(fields(reported({ category }))).toEqual([]);
    }
  });

  it('names each field at fault', () => {
    expect(fields(reported({ severity: 'high' }))).toEqual(['data.severity']);
    expect(fields(reported({ category: 'x'.repeat(65) }))).toEqual(['data.category']);
    expect(fields(reported({ category: 'trauma\n' }))).toEqual(['data.category']);
    expect(fields(reported({ reportedAt: `2026-11-20T16:30:00.${'0'.repeat(40)}Z` }))).toEqual(['data.reportedAt']);
    expect(fields(reported({ personId: 'P'.repeat(65) }))).toEqual(['data.personId']);
    expect(fields(reported({ diagnosis: 'x' }))).toEqual(['data.(unknown field)']);
  });

  it('never echoes submitted values', () => {
    const result = validateCloudEvent(reported({ category: 'SECRET-diagnosis\u0001', severity: 'SECRET' }), contracts);
    expect(result.ok).toBe(false);
    expect(JSON.stringify(result)).not.toContain('SECRET');
  });
});
