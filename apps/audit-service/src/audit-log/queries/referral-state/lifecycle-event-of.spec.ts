import 'reflect-metadata';
import { fold, type CaseworkEvent, type LifecycleState } from '@ruta/referrals';
import { happened, referralLife, type ReferralAt } from '../../../../test/referral-story';
import { lifecycleEventOf } from './lifecycle-event-of';

const referral: ReferralAt = {
  referralId: '5d3c1e0a-7b2f-4c1d-9e8a-1f2b3c4d5e6f',
  personId: 'p-7f3a9c2e41b8',
  sector: 'health',
  type: 'medical-care',
  servicePointId: 'health-lajas-blancas',
  requestedAt: new Date('2026-11-29T08:00:00.000Z'),
};

/** A working life that passes through every state field: held with a note, moved, handed over, finished. */
const STORY: CaseworkEvent[] = [
  { ...happened(referral, 1, 'sv-rosa'), type: 'referral.assigned', assignee: 'cw-ana', previousAssignee: null },
  { ...happened(referral, 2, 'cw-ana'), type: 'referral.accepted', assignee: 'cw-ana' },
  { ...happened(referral, 3, 'cw-ana'), type: 'referral.started' },
  {
    ...happened(referral, 4, 'cw-ana'),
    type: 'referral.put-on-hold',
    reason: { code: 'awaiting-documents', note: 'passport copy' },
  },
  {
    ...happened(referral, 5, 'sv-rosa'),
    type: 'referral.transferred',
    fromServicePointId: 'health-lajas-blancas',
    servicePointId: 'health-los-planes',
    stationId: 'los-planes',
  },
  { ...happened(referral, 6, 'cw-luis'), type: 'referral.resumed' },
  {
    ...happened(referral, 7, 'cw-luis'),
    type: 'referral.completed',
    outcome: { code: 'partially-provided', note: 'medication only' },
  },
];

/** What the log can know of a state: codes, since notes never travel. */
const withoutNotes = (state: LifecycleState): LifecycleState => ({
  ...state,
  hold: state.hold && { ...state.hold, note: null },
  outcome: state.outcome && { ...state.outcome, note: null },
  closeReason: state.closeReason && { ...state.closeReason, note: null },
});

describe('lifecycleEventOf: a referral folded from what its sector published', () => {
  it("equals the sector's own state after every event, but for the notes", () => {
    // Given the messages the sector published for each step, and its state after each
    const { messages, states } = referralLife(referral, STORY);
    // When the log's copies are read back as lifecycle events and folded
    const events = messages.map((m) => {
      const { type, time, data } = m.value as { type: string; time: string; data: Record<string, unknown> };
      return lifecycleEventOf(type, data, time, String(data.actor ?? 'system:health-routing'))!;
    });
    // Then every prefix folds to the state the sector had then
    states.forEach((state, i) => expect(fold(events.slice(0, i + 1))).toEqual(withoutNotes(state)));
    expect(fold(events)).toMatchObject({
      status: 'completed',
      servicePointId: 'health-los-planes',
      stationId: 'los-planes',
      assignee: null,
      outcome: { code: 'partially-provided', note: null },
    });
  });

  it('reads no lifecycle event from any other type', () => {
    expect(lifecycleEventOf('referral.sla-breached', { referralId: referral.referralId }, '', 'x')).toBeNull();
    expect(lifecycleEventOf('decision.consent-overridden', { referralId: referral.referralId }, '', 'x')).toBeNull();
  });
});
