import { PersonKeyring } from '@ruta/keyring';
import { personId, type TestCaller } from '@ruta/testing';
import { CaseworkTestBed } from '../../../test/casework-test-bed';

const POINT = 'health-lajas-blancas';
const ana: TestCaller = { sub: 'cw-ana', roles: ['caseworker'], sector: 'health', servicePoint: POINT };
const NOTE = 'Maria Lopez brings her card on Tuesday';

/**
 * Caseworkers' notes sealed with each person's data key (health service, real PostgreSQL and Kafka):
 * nothing of a note's text is stored, and once the person's key is destroyed every copy of their
 * notes (row, timeline, kept Idempotency-Key answer) reads as erased while the casework goes on.
 */
describe('casework notes sealed per person, and erased with the person', () => {
  let bed: CaseworkTestBed;
  const keyring = PersonKeyring.fromEnv();

  beforeAll(async () => {
    bed = await CaseworkTestBed.start('case-notes', 'health');
  });

  afterAll(async () => {
    await bed?.close();
  });

  const act = async (referralId: string, command: string, version: number, body: unknown, key?: string) => {
    const response = await fetch(`${bed.url}/v1/health/referrals/${referralId}:${command}`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${await bed.token(ana)}`,
        'content-type': 'application/json',
        'if-match': `"${version}"`,
        ...(key ? { 'idempotency-key': key } : {}),
      },
      body: JSON.stringify(body),
    });
    return { status: response.status, body: await response.json() };
  };
  const show = async (referralId: string) => bed.get(`referrals/${referralId}`, await bed.token(ana));

  /** Every stored row that holds the referral's notes, as text. */
  const storedText = async (referralId: string) => {
    const rows = await bed.dataSource.query(
      `SELECT r::text FROM health.referrals r WHERE id = $1
       UNION ALL SELECT e::text FROM health.referral_events e WHERE referral_id = $1
       UNION ALL SELECT k::text FROM health.idempotency_keys k`,
      [referralId],
    );
    return JSON.stringify(rows);
  };

  /** A referral of a new person, accepted, started and put on hold with a note (and an Idempotency-Key). */
  const heldWithNote = async (note: string) => {
    const person = personId();
    const referralId = await bed.insertReferral({ personId: person, servicePointId: POINT, createdAt: new Date() });
    expect((await act(referralId, 'accept', 1, {})).status).toBe(200);
    expect((await act(referralId, 'start', 2, {})).status).toBe(200);
    const key = `hold-${referralId}`;
    const held = await act(referralId, 'hold', 3, { reason: 'awaiting-documents', note }, key);
    expect(held).toMatchObject({ status: 200, body: { hold: { code: 'awaiting-documents', note } } });
    return { person, referralId, key };
  };

  it("stores a note sealed with the person's key and shows it to the caseworker", async () => {
    const { referralId } = await heldWithNote(NOTE);
    expect(await storedText(referralId)).not.toContain('Maria');
    const [row] = await bed.dataSource.query('SELECT hold FROM health.referrals WHERE id = $1', [referralId]);
    expect(row.hold).toEqual({ code: 'awaiting-documents', note: { sealed: expect.any(String) } });
    const shown = await show(referralId);
    expect(shown.status).toBe(200);
    expect(shown.body.hold).toEqual({ code: 'awaiting-documents', note: NOTE });
    expect(shown.body.timeline.at(-1).reason).toEqual({ code: 'awaiting-documents', note: NOTE });
  });

  it("reads an erased person's notes as erased everywhere, never an error, and leaves another person's alone", async () => {
    const erased = await heldWithNote(NOTE);
    const other = await heldWithNote('Ben calls back on Friday');

    await bed.dataSource.transaction((manager) => keyring.erase(manager, erased.person, new Date(), true));

    const shown = await show(erased.referralId);
    expect(shown.status).toBe(200);
    expect(shown.body.hold).toEqual({ code: 'awaiting-documents', note: null, noteErased: true });
    expect(shown.body.timeline.at(-1).reason).toEqual({ code: 'awaiting-documents', note: null, noteErased: true });
    expect(shown.text).not.toContain('Maria');
    // The kept answer of the Idempotency-Key is sealed too: replayed, it reads as erased.
    const replayed = await act(erased.referralId, 'hold', 3, { reason: 'awaiting-documents', note: NOTE }, erased.key);
    expect(replayed).toMatchObject({ status: 200, body: { hold: { note: null, noteErased: true } } });

    expect((await show(other.referralId)).body.hold).toEqual({
      code: 'awaiting-documents',
      note: 'Ben calls back on Friday',
    });

    // Casework goes on; a note written for the erased person is not kept at all.
    expect((await act(erased.referralId, 'resume', 4, {})).status).toBe(200);
    const again = await act(erased.referralId, 'hold', 5, { reason: 'other', note: 'Maria moved to the shelter' });
    expect(again).toMatchObject({ status: 200, body: { hold: { code: 'other', note: null, noteErased: true } } });
    const [row] = await bed.dataSource.query('SELECT hold FROM health.referrals WHERE id = $1', [erased.referralId]);
    expect(row.hold).toEqual({ code: 'other', note: { erased: true } });
    expect(await storedText(erased.referralId)).not.toContain('Maria');
  });
});
