import { DECISION_CURSOR } from './list-decisions/decision-cursor';
import { REFERRAL_CURSOR } from './list-referrals/referral-cursor';

const encoded = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const referral = { createdAt: '2026-11-02T08:00:00.123456Z', id: '0b0c8f3e-4a57-4f5e-9d0a-2d4c9b1e7a10' };

describe('page cursors', () => {
  it('decodes what they encoded, and nothing but the keyset fields', () => {
    expect(REFERRAL_CURSOR.decode(REFERRAL_CURSOR.encode(referral))).toEqual(referral);
    expect(DECISION_CURSOR.decode(DECISION_CURSOR.encode({ id: '9223372036854775807' }))).toEqual({
      id: '9223372036854775807',
    });
    const widened = { ...referral, extra: 'x' } as typeof referral;
    expect(JSON.parse(Buffer.from(REFERRAL_CURSOR.encode(widened), 'base64url').toString())).toEqual(referral);
  });

  it.each([
    ['a wrong timestamp', encoded({ ...referral, createdAt: '2026-11-02T08:00:00Z' })],
    ['an impossible date', encoded({ ...referral, createdAt: '2026-13-45T08:00:00.000000Z' })],
    ['an upper-case uuid', encoded({ ...referral, id: referral.id.toUpperCase() })],
    ['an extra key', encoded({ ...referral, x: '1' })],
    ['a missing key', encoded({ createdAt: referral.createdAt })],
    ['a number', encoded({ ...referral, id: 1 })],
    ['an inherited key only', encoded({ createdAt: referral.createdAt, ['__proto__']: { id: referral.id } })],
    ['an array', encoded([referral.createdAt, referral.id])],
    ['null', encoded(null)],
    ['not JSON', Buffer.from('{createdAt').toString('base64url')],
    ['not base64url', `${encoded(referral)}=`],
    ['too long', 'A'.repeat(201)],
    ['empty', ''],
  ])('refuses %s', (_, value) => expect(REFERRAL_CURSOR.decode(value)).toBeUndefined());

  it.each(['0', '-1', '01', '1.0', '9223372036854775808', '99999999999999999999'])('refuses the decision id %s', (id) =>
    expect(DECISION_CURSOR.decode(encoded({ id }))).toBeUndefined(),
  );
});
