import { HttpException } from '@nestjs/common';
import { problemOf, statusOf } from './override-consent.problems';

const refused = (code: string, message = 'a message') => ({ ok: false as const, code: code as never, message });
const bodyOf = (e: HttpException) => e.getResponse() as Record<string, unknown>;

describe('override answers as HTTP', () => {
  it.each([
    ['DECISION.CONSENT_IS_NOT_A_BASIS', 422, 'legalBasis'],
    ['REFERRAL.LEGAL_BASIS_REQUIRED', 422, 'legalBasis'],
    ['REFERRAL.REASON_REQUIRED', 422, 'reason'],
    ['REFERRAL.UNKNOWN_REASON', 422, 'reason'],
    ['REFERRAL.NOTE_REQUIRED', 422, 'note'],
    ['REFERRAL.NOTE_TOO_LONG', 422, 'note'],
    ['IDEMPOTENCY.KEY_REUSED', 422, 'Idempotency-Key'],
    ['DECISION.NOT_DEFERRED', 409, undefined],
    ['DECISION.OVERRIDE_NOT_PERMITTED', 409, undefined],
    ['REFERRAL.FORBIDDEN', 403, undefined],
  ])('%s is %d, naming %s', (code, status, field) => {
    const problem = problemOf(refused(code));
    expect(problem.getStatus()).toBe(status);
    expect(statusOf(refused(code))).toBe(status);
    expect(bodyOf(problem)).toMatchObject({
      type: `urn:ruta:problem:${code.toLowerCase().replace(/_/g, '-')}`,
      detail: `${code}: a message`,
    });
    expect(bodyOf(problem).errors).toEqual(field ? [{ field, messages: ['a message'] }] : undefined);
  });

  it("answers another sector's decision as the framework answers no route: nothing confirmed", () => {
    const problem = problemOf(refused('REFERRAL.OUT_OF_SCOPE', 'decision not found'));
    expect(problem.getStatus()).toBe(404);
    expect(JSON.stringify(bodyOf(problem))).not.toContain('decision');
  });

  it('answers 201 when the override made the referral, 200 when it was made before', () => {
    const answer = {} as never;
    expect(statusOf({ ok: true, created: true, answer })).toBe(201);
    expect(statusOf({ ok: true, created: false, answer })).toBe(200);
  });
});
