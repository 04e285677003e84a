import type { ReferralStatus } from '../referral';
import type { Actor } from './actor';
import { decide } from './decide';
import { fold } from './evolve';
import { LIFECYCLE_COMMAND_KINDS, type LifecycleCommandKind } from './lifecycle-commands';
import { actors, clock, commandOf, given } from './lifecycle.fixtures';
import type { LifecycleState } from './lifecycle-state';

/** A status each command applies from, so only the actor decides the answer. */
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

const WORK: LifecycleCommandKind[] = [
  'accept',
  'reject',
  'start',
  'hold',
  'resume',
  'complete',
  'fail',
  'transfer',
  'refer-onward',
];
/** PRODUCT.md "Who uses it", written out: who may send what. */
const MAY: Record<string, LifecycleCommandKind[]> = {
  caseworker: WORK,
  supervisor: [...WORK, 'cancel', 'assign', 'reassign'],
  auditor: [],
  coordinator: [],
  admin: [],
  system: ['cancel'],
};

const send = (state: LifecycleState, kind: LifecycleCommandKind, actor: Actor) =>
  decide(state, commandOf(kind, actor), clock);
const roleActors = Object.keys(MAY).map((role) => [role, actors[role as keyof typeof actors]] as const);

describe('who may send each command', () => {
  describe.each(roleActors)('role %s, same sector and point', (role, actor) => {
    it.each(LIFECYCLE_COMMAND_KINDS.map((kind) => [kind]))('%s', (kind) => {
      const decided = send(given(FROM[kind]).state, kind, actor);
      if (MAY[role].includes(kind)) expect(decided).toMatchObject({ ok: true });
      else expect(decided).toEqual({ ok: false, code: 'REFERRAL.FORBIDDEN', message: expect.stringContaining(kind) });
    });
  });

  it.each(LIFECYCLE_COMMAND_KINDS.map((kind) => [kind]))(
    'a border agent (no sector) sending %s is told the referral is not found',
    (kind) => {
      expect(send(given(FROM[kind]).state, kind, actors.borderAgent)).toEqual({
        ok: false,
        code: 'REFERRAL.OUT_OF_SCOPE',
        message: 'referral not found',
      });
    },
  );

  it.each(LIFECYCLE_COMMAND_KINDS.flatMap((kind) => [[kind, 'otherSector'] as const, [kind, 'otherPoint'] as const]))(
    '%s by a supervisor-caseworker of another sector or a caseworker of another point (%s): not found, whatever the status',
    (kind, who) => {
      for (const status of [FROM[kind], 'completed'] as const) {
        expect(send(given(status).state, kind, actors[who])).toEqual({
          ok: false,
          code: 'REFERRAL.OUT_OF_SCOPE',
          message: 'referral not found',
        });
      }
    },
  );

  describe.each([['supervisorElsewhere'], ['supervisorNoPoint']] as const)(
    "a supervisor of the sector whose token names another point or none (%s): acts across the sector's points",
    (who) => {
      it.each(LIFECYCLE_COMMAND_KINDS.map((kind) => [kind]))('%s', (kind) => {
        expect(send(given(FROM[kind]).state, kind, actors[who])).toMatchObject({ ok: true });
      });
    },
  );
});

describe('who holds a referral', () => {
  const assignedTo = (subject: string, status: ReferralStatus = 'requested') => {
    const { state } = given(status);
    const assigned = decide(state, { kind: 'assign', actor: actors.supervisor, assignee: subject }, clock);
    return fold(assigned.ok ? assigned.events : [], state)!;
  };

  it('a caseworker accepting a referral nobody holds takes it; a supervisor accepting leaves it unassigned', () => {
    const { state } = given('requested');
    const byCaseworker = send(state, 'accept', actors.caseworker);
    expect(byCaseworker).toMatchObject({ ok: true, events: [{ type: 'referral.accepted', assignee: 'cw-ana' }] });
    expect(fold(byCaseworker.ok ? byCaseworker.events : [], state)!.assignee).toBe('cw-ana');
    expect(send(state, 'accept', actors.supervisor)).toMatchObject({ ok: true, events: [{ assignee: null }] });
  });

  it.each(WORK.map((kind) => [kind]))(
    '%s: refused to a caseworker when another one holds it; allowed to the holder and a supervisor',
    (kind) => {
      const state = assignedTo('cw-luis', FROM[kind]);
      expect(send(state, kind, actors.caseworker)).toEqual({
        ok: false,
        code: 'REFERRAL.FORBIDDEN',
        message: `${kind}: the referral is assigned to another caseworker`,
      });
      expect(send(state, kind, actors.colleague)).toMatchObject({ ok: true });
      expect(send(state, kind, actors.supervisor)).toMatchObject({ ok: true });
    },
  );

  it('a transfer leaves the holder behind, and the old point no longer sees the referral', () => {
    const state = assignedTo('cw-ana', 'accepted');
    const moved = send(state, 'transfer', actors.caseworker);
    const after = fold(moved.ok ? moved.events : [], state)!;
    expect(after).toMatchObject({
      servicePointId: 'health-san-vicente',
      stationId: 'san-vicente',
      assignee: null,
      status: 'accepted',
    });
    expect(send(after, 'start', actors.caseworker)).toMatchObject({ ok: false, code: 'REFERRAL.OUT_OF_SCOPE' });
  });
});
