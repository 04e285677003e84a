import type { Priority } from '@ruta/contracts';
import { decide } from './decide';
import { fold } from './evolve';
import { actors, commandOf, given, REQUESTED_AT } from './lifecycle.fixtures';
import type { LifecycleState } from './lifecycle-state';
import { fixedClock } from './clock';
import { breachesAt, slaOf } from './sla';

const HOUR = 3_600_000;
const T0 = Date.parse(REQUESTED_AT);
const at = (ms: number) => new Date(T0 + ms);
const iso = (ms: number) => at(ms).toISOString();

/** PRODUCT.md "SLA by priority", written out: acknowledge / complete, in hours. */
const TABLE: [Priority, number, number][] = [
  ['emergency', 1, 24],
  ['urgent', 24, 72],
  ['routine', 72, 14 * 24],
];

const withPriority = (status: Parameters<typeof given>[0], priority: Priority): LifecycleState => ({
  ...given(status).state,
  priority,
});
/** A referral walked forward at a given time after it was requested. */
const then = (state: LifecycleState, kind: Parameters<typeof commandOf>[0], afterMs: number): LifecycleState => {
  const decided = decide(state, commandOf(kind, actors.supervisor), fixedClock(at(afterMs)));
  if (!decided.ok) throw new Error(decided.code);
  return fold(decided.events, state)!;
};

describe.each(TABLE)('SLA of a %s referral: acknowledge within %i h, complete within %i h', (priority, ackH, doneH) => {
  const ack = ackH * HOUR;
  const done = doneH * HOUR;

  it('names both deadlines from requestedAt', () => {
    expect(slaOf(withPriority('requested', priority), at(0))).toEqual({
      acknowledgeBy: iso(ack),
      completeBy: iso(done),
      overdue: null,
    });
  });

  it('is not overdue at the acknowledge deadline, and is 1 ms after it', () => {
    const state = withPriority('requested', priority);
    expect(slaOf(state, at(ack)).overdue).toBeNull();
    expect(breachesAt(state, at(ack))).toEqual([]);
    expect(slaOf(state, at(ack + 1)).overdue).toBe('acknowledge');
    expect(breachesAt(state, at(ack + 1))).toEqual([
      { referralId: 'R-1', kind: 'acknowledge', dueAt: iso(ack), key: 'R-1:acknowledge' },
    ]);
  });

  it('counts accepting (or rejecting) at the deadline as on time, and a millisecond late as a breach', () => {
    const requested = withPriority('requested', priority);
    expect(breachesAt(then(requested, 'accept', ack), at(done + 1)).map((b) => b.key)).toEqual(['R-1:complete']);
    expect(breachesAt(then(requested, 'reject', ack), at(done + 1))).toEqual([]);
    expect(breachesAt(then(requested, 'reject', ack + 1), at(done + 1)).map((b) => b.key)).toEqual(['R-1:acknowledge']);
  });

  it('is overdue to complete 1 ms after the complete deadline, not at it; completing or failing in time meets it', () => {
    const started = then(then(withPriority('requested', priority), 'accept', 0), 'start', 0);
    expect(slaOf(started, at(done)).overdue).toBeNull();
    expect(slaOf(started, at(done + 1)).overdue).toBe('complete');
    expect(breachesAt(started, at(done + 1))).toEqual([
      { referralId: 'R-1', kind: 'complete', dueAt: iso(done), key: 'R-1:complete' },
    ]);
    expect(breachesAt(then(started, 'complete', done), at(done + 1))).toEqual([]);
    expect(breachesAt(then(started, 'fail', done), at(done + 1))).toEqual([]);
    expect(breachesAt(then(started, 'complete', done + 1), at(done + 2)).map((b) => b.key)).toEqual(['R-1:complete']);
  });

  it('flags the earliest missed deadline, and lists both breaches with their keys', () => {
    const state = withPriority('requested', priority);
    expect(slaOf(state, at(done + 1)).overdue).toBe('acknowledge');
    expect(breachesAt(state, at(done + 1)).map((b) => b.key)).toEqual(['R-1:acknowledge', 'R-1:complete']);
  });
});

describe('SLA of a closed referral', () => {
  it('is never overdue once closed, but keeps a breach that happened before it closed', () => {
    const cancelledLate = then(withPriority('requested', 'emergency'), 'cancel', 2 * HOUR);
    expect(slaOf(cancelledLate, at(30 * HOUR)).overdue).toBeNull();
    expect(breachesAt(cancelledLate, at(30 * HOUR)).map((b) => b.key)).toEqual(['R-1:acknowledge']);
    const cancelledEarly = then(withPriority('requested', 'emergency'), 'cancel', HOUR / 2);
    expect(breachesAt(cancelledEarly, at(30 * HOUR))).toEqual([]);
  });

  it('runs the deadlines at the current priority: a raise tightens them', () => {
    const raised = fold(
      [
        {
          type: 'referral.priority-raised',
          referralId: 'R-1',
          actor: 'system:health-routing',
          at: iso(HOUR),
          priority: 'emergency',
        },
      ],
      withPriority('requested', 'routine'),
    )!;
    expect(slaOf(raised, at(HOUR)).acknowledgeBy).toBe(iso(HOUR));
  });
});
