import 'reflect-metadata';
import { parseBatch, type ConsumedMessage } from '@ruta/messaging';
import { AUDITED_CONTRACTS } from './audit.constants';

const facts = {
  referralId: '5d3c1e0a-7b2f-4c1d-9e8a-1f2b3c4d5e6f',
  personId: 'P-000123',
  sector: 'protection',
  referralType: 'international-protection',
  priority: 'urgent',
  legalBasis: 'vital-interest',
  servicePointId: 'protection-lajas-blancas',
  stationId: 'lajas-blancas',
  ruleSetVersion: 'default-v1',
};
const envelope = (id: string, type: string, data: object) => ({
  specversion: '1.0',
  id,
  source: 'ruta/protection-service',
  type,
  subject: 'P-000123',
  time: '2026-11-29T09:00:00.000Z',
  datacontenttype: 'application/json',
  data,
});
const message = (offset: number, value: object): ConsumedMessage => ({
  topic: 'referrals.events.v1',
  partition: 0,
  offset: String(offset),
  key: 'P-000123',
  value: JSON.stringify(value),
  bytes: Buffer.from(JSON.stringify(value)),
  headers: {},
});

describe("the audit log's judge on referrals.events.v1", () => {
  it('takes a consent override and an onward referral as their producers publish them', () => {
    const overridden = envelope('3f6b2a10-8c1d-4e2f-9a0b-1c2d3e4f5a6b', 'decision.consent-overridden', {
      decisionId: '42',
      personId: 'P-000123',
      sector: 'protection',
      referralType: 'international-protection',
      servicePointId: 'protection-lajas-blancas',
      referralId: facts.referralId,
      legalBasis: 'vital-interest',
      reason: 'vital-interest-emergency',
      actor: 'sv-rosa',
      overriddenAt: '2026-11-29T09:00:00.000Z',
    });
    const onward = envelope('0b0a5c57-6f0e-4d43-9f51-3c1f1d8a2b10', 'referral.referred-onward', {
      ...facts,
      toSector: 'health',
      onwardReferralType: 'mental-health',
      onwardLegalBasis: 'consent',
      reason: 'health-concern',
      referredAt: '2026-11-29T09:00:00.000Z',
    });
    const { events, deadLetters } = parseBatch([message(1, overridden), message(2, onward)], AUDITED_CONTRACTS);
    expect(deadLetters).toEqual([]);
    expect(events.map((e) => e.event.type)).toEqual(['decision.consent-overridden', 'referral.referred-onward']);
  });

  it('dead-letters an override that carries the supervisor’s note: notes never travel', () => {
    const withNote = envelope('3f6b2a10-8c1d-4e2f-9a0b-1c2d3e4f5a6c', 'decision.consent-overridden', {
      decisionId: '42',
      personId: 'P-000123',
      sector: 'protection',
      referralType: 'international-protection',
      servicePointId: 'protection-lajas-blancas',
      referralId: facts.referralId,
      legalBasis: 'vital-interest',
      reason: 'vital-interest-emergency',
      actor: 'sv-rosa',
      overriddenAt: '2026-11-29T09:00:00.000Z',
      note: 'SECRET',
    });
    const { deadLetters } = parseBatch([message(3, withNote)], AUDITED_CONTRACTS);
    expect(deadLetters).toMatchObject([{ code: 'MESSAGE.INVALID', errors: [{ field: 'data.(unknown field)' }] }]);
    expect(JSON.stringify(deadLetters)).not.toContain('SECRET');
  });
});
