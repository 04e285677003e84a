import { contractsByType, INTAKE_EVENT_CONTRACTS, REFERRAL_EVENT_CONTRACTS, type CloudEvent } from '@ruta/contracts';
import { parseBatch, type ConsumedMessage } from '@ruta/messaging';
import {
  decide,
  evolve,
  LIFECYCLE_COMMAND_KINDS,
  type LifecycleCommand,
  type LifecycleCommandKind,
} from '../../domain/lifecycle';
import { actors, clock, commandOf, given } from '../../domain/lifecycle/lifecycle.fixtures';
import type { ReferralStatus } from '../../domain/referral';
import { REFERRAL_REFERRED_ONWARD } from '@ruta/contracts';
import { caseworkMessages, type Applied } from './casework-messages';

/** What the audit service judges every message of referrals.events.v1 with (its AUDITED_CONTRACTS). */
const AUDIT_JUDGE = contractsByType([...INTAKE_EVENT_CONTRACTS, ...REFERRAL_EVENT_CONTRACTS]);
const NOTE = 'Maria Lopez said so';

const FROM: Record<LifecycleCommandKind, ReferralStatus> = {
  accept: 'requested',
  reject: 'requested',
  cancel: 'requested',
  start: 'accepted',
  hold: 'in-progress',
  resume: 'on-hold',
  complete: 'in-progress',
  fail: 'in-progress',
  assign: 'requested',
  reassign: 'requested',
  transfer: 'requested',
  'refer-onward': 'accepted',
};

/** The message a supervisor's `kind` publishes, with a note wherever the command takes one. */
function messageOf(kind: LifecycleCommandKind): CloudEvent {
  const { state: given0 } = given(FROM[kind]);
  const state = {
    ...given0,
    id: '0b7d1c2e-3f4a-4c5b-9d6e-7f8a9b0c1d2e',
    assignee: kind === 'reassign' ? 'cw-ana' : null,
  };
  const base = commandOf(kind, actors.supervisor);
  const command = ('reason' in base || kind === 'complete' ? { ...base, note: NOTE } : base) as LifecycleCommand;
  const decided = decide(state, command, clock);
  if (!decided.ok || decided.events.length !== 1) throw new Error(`${kind} made no event`);
  const event = decided.events[0]!;
  const applied: Applied = { event, before: state, after: evolve(state, event) };
  const [message] = caseworkMessages('health', 'default-v1', [applied]);
  return message!.value as CloudEvent;
}

const consumed = (event: CloudEvent, offset: number): ConsumedMessage => ({
  topic: 'referrals.events.v1',
  partition: 0,
  offset: String(offset),
  key: event.subject,
  value: JSON.stringify(event),
  bytes: Buffer.from(JSON.stringify(event)),
  headers: {},
});

describe('casework messages on referrals.events.v1', () => {
  const kinds = LIFECYCLE_COMMAND_KINDS.filter((k) => k !== 'refer-onward');

  it.each(kinds.map((k) => [k]))('%s: the audit service takes it, and it carries no note', (kind) => {
    const event = messageOf(kind);
    const { events, deadLetters } = parseBatch([consumed(event, 1)], AUDIT_JUDGE);
    expect(deadLetters).toEqual([]);
    expect(events.map((e) => e.event.type)).toEqual([event.type]);
    expect(event).toMatchObject({ source: 'ruta/health-service', subject: 'P-100' });
    expect(JSON.stringify(event)).not.toMatch(/Maria|note/);
  });

  it('names the actor, the time and the code of what happened', () => {
    expect(messageOf('hold').data).toMatchObject({
      actor: 'sv-rosa',
      reason: 'awaiting-person',
      heldAt: clock.now().toISOString(),
    });
    expect(messageOf('complete').data).toMatchObject({ outcome: 'service-provided', completedAt: expect.any(String) });
    expect(messageOf('reassign').data).toMatchObject({ assignee: 'cw-new', previousAssignee: 'cw-ana' });
    expect(messageOf('transfer').data).toMatchObject({
      servicePointId: 'health-san-vicente',
      stationId: 'san-vicente',
      fromServicePointId: 'health-lajas-blancas',
      fromStationId: 'lajas-blancas',
    });
  });

  it("publishes an onward referral as the source referral's facts, the target, the reason code and when", () => {
    const event = messageOf('refer-onward');
    expect(event.type).toBe(REFERRAL_REFERRED_ONWARD);
    expect(event.data).toEqual({
      referralId: '0b7d1c2e-3f4a-4c5b-9d6e-7f8a9b0c1d2e',
      personId: 'P-100',
      sector: 'health',
      referralType: 'medical-care',
      priority: 'urgent',
      legalBasis: 'consent',
      servicePointId: 'health-lajas-blancas',
      stationId: 'lajas-blancas',
      ruleSetVersion: 'default-v1',
      toSector: 'protection',
      onwardReferralType: 'protection-assistance',
      onwardLegalBasis: 'consent',
      reason: 'protection-concern',
      referredAt: clock.now().toISOString(),
    });
  });
});
