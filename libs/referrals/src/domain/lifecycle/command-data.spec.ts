import { decide } from './decide';
import { fold } from './evolve';
import type { LifecycleCommand } from './lifecycle-commands';
import { actors, clock, given } from './lifecycle.fixtures';
import { NOTE_MAX_LENGTH, REASONS } from './reasons';

const actor = actors.supervisor;
const run = (status: Parameters<typeof given>[0], command: LifecycleCommand) =>
  decide(given(status).state, command, clock);

/** Each reasoned command, with the status it applies from. */
const REASONED = [
  ['reject', 'requested'],
  ['cancel', 'requested'],
  ['hold', 'in-progress'],
  ['fail', 'in-progress'],
  ['refer-onward', 'accepted'],
] as const;
const withReason = (kind: (typeof REASONED)[number][0], reason?: string, note?: string): LifecycleCommand =>
  kind === 'refer-onward'
    ? { kind, actor, toSector: 'protection', referralType: 'child-protection', legalBasis: 'consent', reason, note }
    : { kind, actor, reason, note };

describe("reasons: a code from the command's closed list, and an optional bounded note", () => {
  describe.each(REASONED)('%s (from %s)', (kind, status) => {
    it.each([[undefined], [''], ['  ']])('refuses a missing reason (%p), listing the codes', (reason) => {
      expect(run(status, withReason(kind, reason))).toEqual({
        ok: false,
        code: 'REFERRAL.REASON_REQUIRED',
        message: `reason is required: one of ${REASONS[kind].join(', ')}`,
      });
    });

    it('refuses a code not on its list (free text is a note)', () => {
      expect(run(status, withReason(kind, 'she told me she left'))).toMatchObject({
        ok: false,
        code: 'REFERRAL.UNKNOWN_REASON',
      });
    });

    it('needs a note with reason other', () => {
      expect(run(status, withReason(kind, 'other'))).toMatchObject({ ok: false, code: 'REFERRAL.NOTE_REQUIRED' });
      expect(run(status, withReason(kind, 'other', ' went north '))).toMatchObject({
        ok: true,
        events: [{ reason: { code: 'other', note: 'went north' } }],
      });
    });

    it(`refuses a note over ${NOTE_MAX_LENGTH} characters without echoing it`, () => {
      const decided = run(status, withReason(kind, REASONS[kind][0], 'x'.repeat(NOTE_MAX_LENGTH + 1)));
      expect(decided).toEqual({
        ok: false,
        code: 'REFERRAL.NOTE_TOO_LONG',
        message: `note must be at most ${NOTE_MAX_LENGTH} characters`,
      });
      expect(run(status, withReason(kind, REASONS[kind][0], 'x'.repeat(NOTE_MAX_LENGTH)))).toMatchObject({ ok: true });
    });

    it.each(REASONS[kind].filter((code) => code !== 'other').map((code) => [code]))(
      'records %s with a null note',
      (code) => {
        expect(run(status, withReason(kind, code))).toMatchObject({
          ok: true,
          events: [{ reason: { code, note: null } }],
        });
      },
    );
  });

  it('puts a hold reason on the referral and clears it on resume', () => {
    const { state } = given('on-hold');
    expect(state.hold).toEqual({ code: 'awaiting-person', note: null });
    const resumed = decide(state, { kind: 'resume', actor }, clock);
    expect(fold(resumed.ok ? resumed.events : [], state)).toMatchObject({ status: 'in-progress', hold: null });
  });

  it('complete needs an outcome from its list', () => {
    expect(run('in-progress', { kind: 'complete', actor })).toMatchObject({
      ok: false,
      code: 'REFERRAL.OUTCOME_REQUIRED',
    });
    expect(run('in-progress', { kind: 'complete', actor, outcome: 'cured' })).toMatchObject({
      ok: false,
      code: 'REFERRAL.UNKNOWN_OUTCOME',
    });
    const { state } = given('completed');
    expect(state).toMatchObject({ status: 'completed', outcome: { code: 'service-provided', note: null } });
  });
});

describe('assignment', () => {
  const assign = (kind: 'assign' | 'reassign', assignee: string): LifecycleCommand => ({
    kind,
    actor,
    assignee,
  });

  it.each([[''], ['   '], ['s'.repeat(256)]])('refuses an empty or oversized assignee (%#)', (assignee) => {
    expect(run('requested', assign('assign', assignee))).toMatchObject({
      ok: false,
      code: 'REFERRAL.ASSIGNEE_REQUIRED',
    });
  });

  it('assign never replaces a holder; reassign does, recording who held it; the same assignee is a no-op', () => {
    const first = decide(given('requested').state, assign('assign', 'cw-ana'), clock);
    expect(first).toMatchObject({
      ok: true,
      events: [{ type: 'referral.assigned', assignee: 'cw-ana', previousAssignee: null }],
    });
    const held = fold(first.ok ? first.events : [], given('requested').state)!;

    expect(decide(held, assign('assign', 'cw-luis'), clock)).toMatchObject({
      ok: false,
      code: 'REFERRAL.ALREADY_ASSIGNED',
    });
    expect(decide(held, assign('assign', 'cw-ana'), clock)).toEqual({ ok: true, events: [] });
    expect(decide(held, assign('reassign', 'cw-ana'), clock)).toEqual({ ok: true, events: [] });
    expect(decide(held, assign('reassign', 'cw-luis'), clock)).toMatchObject({
      ok: true,
      events: [{ type: 'referral.assigned', assignee: 'cw-luis', previousAssignee: 'cw-ana' }],
    });
  });
});

describe('transfer', () => {
  it('refuses a service point of another sector', () => {
    const to = { servicePointId: 'mides-san-vicente', sector: 'social-development' as const, stationId: 'san-vicente' };
    expect(run('accepted', { kind: 'transfer', actor, to })).toEqual({
      ok: false,
      code: 'REFERRAL.TRANSFER_OTHER_SECTOR',
      message: 'transfer stays in the health sector: refer onward instead',
    });
  });

  it('to the current point changes nothing', () => {
    const to = { servicePointId: 'health-lajas-blancas', sector: 'health' as const, stationId: 'lajas-blancas' };
    expect(run('accepted', { kind: 'transfer', actor, to })).toEqual({ ok: true, events: [] });
  });

  it('records where from and where to', () => {
    const to = { servicePointId: 'meteti-hospital', sector: 'health' as const, stationId: null };
    expect(run('on-hold', { kind: 'transfer', actor, to })).toMatchObject({
      ok: true,
      events: [
        {
          type: 'referral.transferred',
          fromServicePointId: 'health-lajas-blancas',
          servicePointId: 'meteti-hospital',
          stationId: null,
        },
      ],
    });
  });
});

describe('onward referral to another sector', () => {
  const onward = (over: Partial<Extract<LifecycleCommand, { kind: 'refer-onward' }>>): LifecycleCommand => ({
    kind: 'refer-onward',
    actor,
    toSector: 'protection',
    referralType: 'protection-assistance',
    legalBasis: 'vital-interest',
    reason: 'protection-concern',
    ...over,
  });

  it.each([[undefined], [''], ['because'], ['CONSENT']])('needs a legal basis from the list (%p)', (legalBasis) => {
    expect(run('in-progress', onward({ legalBasis }))).toEqual({
      ok: false,
      code: 'REFERRAL.LEGAL_BASIS_REQUIRED',
      message: 'legalBasis is required: one of consent, vital-interest, best-interests-of-child',
    });
  });

  it('refuses its own sector (a transfer) and an unknown one', () => {
    expect(run('in-progress', onward({ toSector: 'health' }))).toMatchObject({
      ok: false,
      code: 'REFERRAL.ONWARD_SAME_SECTOR',
    });
    expect(run('in-progress', onward({ toSector: 'police' }))).toMatchObject({
      ok: false,
      code: 'REFERRAL.UNKNOWN_SECTOR',
    });
  });

  it.each([[undefined], [''], ['medical-care'], ['shelter']])(
    "needs one of the target sector's referral types (%p)",
    (referralType) => {
      expect(run('in-progress', onward({ referralType }))).toEqual({
        ok: false,
        code: 'REFERRAL.UNKNOWN_REFERRAL_TYPE',
        message: expect.stringMatching(/^referralType must be one of .*protection-assistance/),
      });
    },
  );

  it('emits what the other sector routes: person, sectors, basis and reason; this referral keeps its status', () => {
    const { state } = given('in-progress');
    const decided = decide(state, onward({ note: 'fear of return' }), clock);
    expect(decided).toEqual({
      ok: true,
      events: [
        {
          type: 'referral.referred-onward',
          referralId: 'R-1',
          actor: 'sv-rosa',
          at: '2026-11-29T08:30:00.000Z',
          personId: 'P-100',
          fromSector: 'health',
          toSector: 'protection',
          onwardReferralType: 'protection-assistance',
          legalBasis: 'vital-interest',
          reason: { code: 'protection-concern', note: 'fear of return' },
        },
      ],
    });
    expect(fold(decided.ok ? decided.events : [], state)).toMatchObject({
      status: 'in-progress',
      version: state.version + 1,
    });
  });
});
