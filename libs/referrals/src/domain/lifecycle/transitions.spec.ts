import { REFERRAL_STATUSES, type ReferralStatus } from '../referral';
import { decide } from './decide';
import { fold } from './evolve';
import { LIFECYCLE_COMMAND_KINDS, type LifecycleCommandKind } from './lifecycle-commands';
import { actors, clock, commandOf, given } from './lifecycle.fixtures';

/** PRODUCT.md "Referral lifecycle", written out here rather than read from the code it checks. */
const PRODUCT_EDGES = [
  'requested -> accepted',
  'requested -> rejected',
  'requested -> cancelled',
  'accepted -> in-progress',
  'in-progress -> on-hold',
  'on-hold -> in-progress',
  'in-progress -> completed',
  'in-progress -> failed',
];

/** Every command a supervisor may send from each status, and the status it leaves. */
const keep = (s: ReferralStatus) => ({ assign: s, reassign: s });
const ALLOWED: Record<ReferralStatus, Partial<Record<LifecycleCommandKind, ReferralStatus>>> = {
  requested: {
    accept: 'accepted',
    reject: 'rejected',
    cancel: 'cancelled',
    ...keep('requested'),
    transfer: 'requested',
  },
  accepted: { start: 'in-progress', ...keep('accepted'), transfer: 'accepted', 'refer-onward': 'accepted' },
  'in-progress': {
    hold: 'on-hold',
    complete: 'completed',
    fail: 'failed',
    ...keep('in-progress'),
    'refer-onward': 'in-progress',
  },
  'on-hold': { resume: 'in-progress', ...keep('on-hold'), transfer: 'on-hold', 'refer-onward': 'on-hold' },
  rejected: {},
  cancelled: {},
  completed: {},
  failed: {},
};

const matrix = REFERRAL_STATUSES.flatMap((status) => LIFECYCLE_COMMAND_KINDS.map((kind) => ({ status, kind })));

describe('referral lifecycle transitions (every status x every command)', () => {
  it('moves status exactly along the edges PRODUCT.md draws', () => {
    const edges = matrix
      .filter(({ status, kind }) => {
        const to = ALLOWED[status][kind];
        return to !== undefined && to !== status;
      })
      .map(({ status, kind }) => `${status} -> ${ALLOWED[status][kind]}`);
    expect(new Set(edges)).toEqual(new Set(PRODUCT_EDGES));
  });

  describe.each(matrix.filter(({ status, kind }) => ALLOWED[status][kind]))(
    'given $status, when $kind',
    ({ status, kind }) => {
      it('then one event with actor and time, leaving the status PRODUCT.md names', () => {
        const { state } = given(status);
        const decided = decide(state, commandOf(kind, actors.supervisor), clock);
        expect(decided).toMatchObject({ ok: true });
        if (!decided.ok) return;
        expect(decided.events).toHaveLength(1);
        expect(decided.events[0]).toMatchObject({ referralId: 'R-1', actor: 'sv-rosa', at: clock.now().toISOString() });
        expect(fold(decided.events, state)!.status).toBe(ALLOWED[status][kind]);
      });
    },
  );

  describe.each(matrix.filter(({ status, kind }) => !ALLOWED[status][kind]))(
    'given $status, when $kind',
    ({ status, kind }) => {
      it('then REFERRAL.INVALID_TRANSITION, naming the command and the status', () => {
        const { state } = given(status);
        expect(decide(state, commandOf(kind, actors.supervisor), clock)).toEqual({
          ok: false,
          code: 'REFERRAL.INVALID_TRANSITION',
          message: `cannot ${kind} a referral that is ${status}`,
        });
      });
    },
  );

  describe('routing cancels on departure from any open status, and nothing final', () => {
    it.each(REFERRAL_STATUSES.map((status) => [status]))('given %s', (status) => {
      const { state } = given(status);
      const decided = decide(state, commandOf('cancel', actors.system), clock);
      if (['requested', 'accepted', 'in-progress', 'on-hold'].includes(status)) {
        expect(decided).toMatchObject({
          ok: true,
          events: [{ type: 'referral.cancelled', actor: 'system:health-routing' }],
        });
        expect(fold(decided.ok ? decided.events : [], state)).toMatchObject({
          status: 'cancelled',
          closeReason: { code: 'person-departed', note: null },
          hold: null,
        });
      } else {
        expect(decided).toMatchObject({ ok: false, code: 'REFERRAL.INVALID_TRANSITION' });
      }
    });
  });

  it('refuses a status command sent twice rather than swallowing it', () => {
    const { state } = given('accepted');
    expect(decide(state, commandOf('accept', actors.supervisor), clock)).toMatchObject({
      ok: false,
      code: 'REFERRAL.INVALID_TRANSITION',
    });
  });
});
