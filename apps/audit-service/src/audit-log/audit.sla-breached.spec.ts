import { randomUUID } from 'node:crypto';
import { Topics } from '@ruta/contracts';
import { parseBatch, type ConsumedMessage } from '@ruta/messaging';
import { slaBreachMessages } from '@ruta/referrals';
import { AUDITED_CONTRACTS } from './audit.constants';

/** The audit log takes referral.sla-breached as the sector services publish it, and only that shape. */
describe('audit log contracts: referral.sla-breached', () => {
  const breach = {
    referralId: randomUUID(),
    personId: 'p-7f3a9c2e41b8',
    type: 'emergency-care',
    priority: 'emergency' as const,
    legalBasis: 'vital-interest' as const,
    servicePointId: 'health-lajas-blancas',
    stationId: 'lajas-blancas',
    ruleSetVersion: 'default-v1',
    kind: 'acknowledge' as const,
    dueAt: '2026-11-20T15:06:00.000Z',
  };
  const consumed = (value: unknown, offset = '0'): ConsumedMessage => ({
    topic: Topics.referralEvents,
    partition: 0,
    offset,
    key: breach.personId,
    value: JSON.stringify(value),
    bytes: Buffer.from(JSON.stringify(value)),
    headers: {},
  });
  const [published] = slaBreachMessages('health', [breach], new Date('2026-11-20T15:07:00.000Z'));
  const event = published.value as { data: Record<string, unknown> };

  it('accepts the event a sector service publishes', () => {
    const { events, deadLetters } = parseBatch([consumed(event)], AUDITED_CONTRACTS);
    expect(deadLetters).toEqual([]);
    // Read as the latest version: the same event, its dataschema named.
    expect(events.map((e) => e.event)).toEqual([{ ...event, dataschema: 'urn:ruta:schema:referral.sla-breached:v1' }]);
  });

  it('dead-letters one with an unknown deadline, a field no contract knows or a missing due time', () => {
    const broken = [
      { ...event, data: { ...event.data, kind: 'respond' } },
      { ...event, data: { ...event.data, remarks: 'called twice' } },
      { ...event, data: { ...event.data, dueAt: undefined } },
    ];
    const { events, deadLetters } = parseBatch(
      broken.map((e, i) => consumed(e, String(i))),
      AUDITED_CONTRACTS,
    );
    expect(events).toEqual([]);
    expect(deadLetters.map((d) => d.errors.map((e) => e.field))).toEqual([
      ['data.kind'],
      ['data.(unknown field)'],
      ['data.dueAt'],
    ]);
  });
});
