import { DEFAULT_REFERENCE_DATA } from '@ruta/routing';
import { fixedClock } from './clock';
import { decide } from './decide';
import { evolve, fold, requestedState } from './evolve';
import type { LifecycleCommand } from './lifecycle-commands';
import type { LifecycleEvent } from './lifecycle-events';
import { actors, REQUESTED_AT, requested } from './lifecycle.fixtures';
import type { LifecycleState } from './lifecycle-state';
import { placeOfServicePoint } from './placement';

const HOUR = 3_600_000;
const at = (hours: number) => new Date(Date.parse(REQUESTED_AT) + hours * HOUR).toISOString();
const { supervisor, caseworker } = actors;

/** A whole working life: assigned, accepted, held, resumed, referred onward, moved, finished. */
const STORY: [number, LifecycleCommand][] = [
  [1, { kind: 'assign', actor: supervisor, assignee: 'cw-ana' }],
  [2, { kind: 'accept', actor: caseworker }],
  [3, { kind: 'start', actor: caseworker }],
  [4, { kind: 'hold', actor: caseworker, reason: 'awaiting-documents', note: 'passport copy' }],
  [
    5,
    {
      kind: 'refer-onward',
      actor: caseworker,
      toSector: 'social-development',
      referralType: 'shelter',
      legalBasis: 'consent',
      reason: 'social-need',
    },
  ],
  [6, { kind: 'reassign', actor: supervisor, assignee: 'cw-luis' }],
  [7, { kind: 'resume', actor: actors.colleague }],
  [8, { kind: 'complete', actor: actors.colleague, outcome: 'partially-provided' }],
];

function live(): { states: LifecycleState[]; events: LifecycleEvent[] } {
  let state = requestedState(requested as Extract<LifecycleEvent, { type: 'referral.requested' }>);
  const states = [state];
  const events: LifecycleEvent[] = [requested];
  for (const [hours, command] of STORY) {
    const decided = decide(Object.freeze(state), command, fixedClock(at(hours)));
    if (!decided.ok) throw new Error(`${command.kind}: ${decided.code}`);
    for (const event of decided.events) state = evolve(state, event);
    states.push(state);
    events.push(...decided.events);
  }
  return { states, events };
}

describe('evolve and fold', () => {
  it("fold of the events equals applying decide's events one by one, at every step", () => {
    const { states, events } = live();
    states.forEach((state, i) => expect(fold(events.slice(0, i + 1))).toEqual(state));
  });

  it('counts every event in version and keeps the times the SLAs read', () => {
    const { states } = live();
    expect(states.map((s) => s.version)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(states.at(-1)).toMatchObject({
      status: 'completed',
      assignee: 'cw-luis',
      requestedAt: REQUESTED_AT,
      acknowledgedAt: at(2),
      acceptedAt: at(2),
      startedAt: at(3),
      closedAt: at(8),
      finishedAt: at(8),
      updatedAt: at(8),
      hold: null,
      outcome: { code: 'partially-provided', note: null },
      closeReason: null,
    });
    expect(states[4]).toMatchObject({ status: 'on-hold', hold: { code: 'awaiting-documents', note: 'passport copy' } });
  });

  it("applies routing's own events: a priority raise and a move between points", () => {
    const state = fold([
      requested,
      {
        type: 'referral.priority-raised',
        referralId: 'R-1',
        actor: 'system:health-routing',
        at: at(1),
        priority: 'emergency',
      },
      {
        type: 'referral.reassigned',
        referralId: 'R-1',
        actor: 'system:health-routing',
        at: at(2),
        servicePointId: 'health-los-planes',
        stationId: 'los-planes',
      },
    ]);
    expect(state).toMatchObject({
      priority: 'emergency',
      servicePointId: 'health-los-planes',
      stationId: 'los-planes',
      version: 3,
      status: 'requested',
    });
  });

  it('is null before a referral.requested and ignores what came before it', () => {
    const early: LifecycleEvent = { type: 'referral.started', referralId: 'R-1', actor: 'x', at: at(0) };
    expect(fold([])).toBeNull();
    expect(fold([early])).toBeNull();
    expect(fold([early, requested])).toEqual(
      requestedState(requested as Extract<LifecycleEvent, { type: 'referral.requested' }>),
    );
  });
});

describe('placeOfServicePoint', () => {
  it("finds a point's sector and station in reference data, a regional default without a station", () => {
    expect(placeOfServicePoint(DEFAULT_REFERENCE_DATA, 'health-san-vicente')).toEqual({
      servicePointId: 'health-san-vicente',
      sector: 'health',
      stationId: 'san-vicente',
    });
    expect(placeOfServicePoint(DEFAULT_REFERENCE_DATA, 'mides-darien')).toEqual({
      servicePointId: 'mides-darien',
      sector: 'social-development',
      stationId: null,
    });
    expect(placeOfServicePoint(DEFAULT_REFERENCE_DATA, 'nowhere')).toBeUndefined();
  });
});
