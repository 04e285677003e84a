import 'reflect-metadata';
import { contractsByType } from '../../contract-registry';
import { INTAKE_EVENT_CONTRACTS, REFERRAL_EVENT_CONTRACTS } from '../../registry';
import { readCloudEvent, validateCloudEvent } from '../../validation';

/** The registry the audit service reads with (AUDITED_CONTRACTS). */
const contracts = contractsByType([...INTAKE_EVENT_CONTRACTS, ...REFERRAL_EVENT_CONTRACTS]);

const overridden = (data: Record<string, unknown> = {}) => ({
  specversion: '1.0',
  id: '3f6b2a10-8c1d-4e2f-9a0b-1c2d3e4f5a6b',
  source: 'ruta/protection-service',
  type: 'decision.consent-overridden',
  subject: 'P-000123',
  time: '2026-11-29T09:00:00.000Z',
  datacontenttype: 'application/json',
  data: {
    decisionId: '42',
    personId: 'P-000123',
    sector: 'protection',
    referralType: 'international-protection',
    servicePointId: 'protection-lajas-blancas',
    referralId: '5d3c1e0a-7b2f-4c1d-9e8a-1f2b3c4d5e6f',
    legalBasis: 'vital-interest',
    reason: 'vital-interest-emergency',
    actor: 'sv-rosa',
    overriddenAt: '2026-11-29T09:00:00.000Z',
    ...data,
  },
});

const fields = (raw: unknown) => {
  const result = validateCloudEvent(raw, contracts);
  return result.ok ? [] : result.errors.map((e) => e.field).sort();
};

describe('decision.consent-overridden v1', () => {
  it('is read by the audit registry as it is published', () => {
    expect(readCloudEvent(overridden(), contracts)).toEqual({
      ok: true,
      event: { ...overridden(), dataschema: 'urn:ruta:schema:decision.consent-overridden:v1' },
    });
  });

  it('refuses consent as the basis: its absence is what was overridden', () => {
    expect(fields(overridden({ legalBasis: 'consent' }))).toEqual(['data.legalBasis']);
  });

  it('carries no note, and names each field at fault', () => {
    expect(fields(overridden({ note: 'SECRET' }))).toEqual(['data.(unknown field)']);
    expect(fields(overridden({ decisionId: '0' }))).toEqual(['data.decisionId']);
    expect(fields(overridden({ decisionId: 42 }))).toEqual(['data.decisionId']);
    expect(fields(overridden({ reason: 'because I said so' }))).toEqual(['data.reason']);
    expect(fields(overridden({ personId: 'P-000124' }))).toEqual(['data.personId']);
    expect(fields(overridden({ actor: '' }))).toEqual(['data.actor']);
  });
});
