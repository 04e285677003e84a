import { httpAnswerOf } from './override-consent.problems';

const refused = (code: string, message = 'a message') => ({ ok: false as const, code: code as never, message });

describe('override answers as HTTP', () => {
  it.each([
    ['DECISION.CONSENT_IS_NOT_A_BASIS', 422, 'legalBasis'],
    ['REFERRAL.LEGAL_BASIS_REQUIRED', 422, 'legalBasis'],
    ['REFERRAL.REASON_REQUIRED', 422, 'reason'],
    ['REFERRAL.UNKNOWN_REASON', 422, 'reason'],
    ['REFERRAL.NOTE_REQUIRED', 422, 'note'],
    ['REFERRAL.NOTE_TOO_LONG', 422, 'note'],
    ['REQUEST.IDEMPOTENCY_KEY_REUSED', 422, 'Idempotency-Key'],
    ['DECISION.NOT_DEFERRED', 409, undefined],
    ['DECISION.OVERRIDE_NOT_PERMITTED', 409, undefined],
    ['REFERRAL.FORBIDDEN', 403, undefined],
  ])('%s is %d, naming %s', (code, status, field) => {
    const answer = httpAnswerOf(refused(code));
    expect(answer.status).toBe(status);
    // One mapping with the lifecycle commands: the code in `code`, the message as the detail.
    expect(answer.body).toMatchObject({
      type: `urn:ruta:problem:${code.toLowerCase().replace(/_/g, '-')}`,
      status,
      code,
      detail: 'a message',
    });
    expect(answer.body.errors).toEqual(field ? [{ field, messages: ['a message'] }] : undefined);
  });

  it("answers another sector's decision as casework answers no referral: nothing confirmed", () => {
    const answer = httpAnswerOf(refused('REFERRAL.OUT_OF_SCOPE', 'decision not found'));
    expect(answer.status).toBe(404);
    expect(JSON.stringify(answer.body)).not.toContain('decision');
  });

  it('answers 201 when the override made the referral, 200 when it was made before', () => {
    const answer = {} as never;
    expect(httpAnswerOf({ ok: true, created: true, answer }).status).toBe(201);
    expect(httpAnswerOf({ ok: true, created: false, answer }).status).toBe(200);
  });
});
