import 'reflect-metadata';
import { PERSON_ERASED, Topics } from '@ruta/contracts';
import {
  callers,
  consentRecorded,
  personId,
  personRegistered,
  vulnerabilityScreened,
  type TestCaller,
} from '@ruta/testing';
import { Client } from 'pg';
import { verifyLog } from '../apps/audit-service/src/audit-log/log/log-verifier';
import { eventually } from './http';
import { startSystemWithDatabase, type RunningSystem, type SystemWithDatabase } from './system-apps';

const NAME = 'Yusleidy Carolina Márquez';
const DOCUMENT = 'V28391034';
const NOTE = 'Yusleidy brings her passport on Tuesday';
const caseworker = callers.caseworker('health', 'health-lajas-blancas');

/**
 * Erasure across the system: a person registered with direct identifiers is routed to health, where
 * a caseworker writes a note; an admin erases the person at the gateway. The identifiers and the
 * note become unreadable (the rows stay, the key is gone), health answers the note as erased, the
 * audit log records the erasure with the admin as actor, and nothing it held before changed: it held
 * no identifier and no note, and its verification still passes.
 */
describe('erasure by key destruction, across the gateway, a sector and the audit log', () => {
  let running: SystemWithDatabase;
  let system: RunningSystem;
  let db: Client;

  beforeAll(async () => {
    running = await startSystemWithDatabase('erasure-system');
    ({ system, db } = running);
  });

  afterAll(() => running?.close());

  const call = async (caller: TestCaller, url: string, body?: unknown, ifMatch?: string) => {
    const response = await fetch(url, {
      method: body === undefined ? 'GET' : 'POST',
      headers: {
        ...(await system.headersOf(caller)),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...(ifMatch ? { 'if-match': ifMatch } : {}),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    return {
      status: response.status,
      etag: response.headers.get('etag'),
      text,
      body: text ? JSON.parse(text) : undefined,
    };
  };

  /** Every audit.log row, as verify and the auditor read them. */
  const auditRows = async () =>
    (
      await db.query<{
        position: string;
        leaf_hash: Buffer;
        bytes: Buffer;
        type: string;
        subject: string;
        actor: string;
      }>('SELECT position::text, leaf_hash, bytes, type, subject, actor FROM audit.log ORDER BY position')
    ).rows;

  it("makes the person's identifiers and notes unreadable everywhere, logs the erasure, and the log still verifies", async () => {
    const person = personId();
    const registered = personRegistered(person);
    for (const event of [
      { ...registered, data: { ...registered.data, identifiers: { fullName: NAME, documentNumber: DOCUMENT } } },
      consentRecorded(person, ['health']),
      vulnerabilityScreened(person, { pregnant: true }),
    ]) {
      expect((await call(callers.borderAgent, `${system.urls.intake}/v1/intake/events`, event)).status).toBe(202);
    }
    const referralId = await eventually(async () => {
      const { rows } = await db.query<{ id: string }>('SELECT id FROM health.referrals WHERE person_id = $1', [person]);
      return rows[0]?.id;
    }, 'health to route a referral');
    const url = `${system.urls.health}/v1/health/referrals/${referralId}`;
    let etag = (await call(caseworker, url)).etag!;
    for (const [command, body] of [
      ['accept', {}],
      ['start', {}],
      ['hold', { reason: 'awaiting-documents', note: NOTE }],
    ] as const) {
      const answer = await call(caseworker, `${url}:${command}`, body, etag);
      expect(answer.status).toBe(200);
      etag = answer.etag!;
    }
    expect((await call(caseworker, url)).body.hold).toEqual({ code: 'awaiting-documents', note: NOTE });
    const before = await eventually(async () => {
      const rows = await auditRows();
      return rows.some((r) => r.subject === person && r.type === 'referral.put-on-hold') ? rows : undefined;
    }, "the person's events in the audit log");
    // What the audit log holds: pseudonymous ids and facts, never the identifiers nor the note.
    const logged = Buffer.concat(before.map((r) => r.bytes)).toString('utf8');
    for (const secret of [NAME, DOCUMENT, NOTE]) expect(logged).not.toContain(secret);

    const erased = await call(callers.admin, `${system.urls.intake}/v1/admin/people/${person}:erase`, {
      reason: 'data-subject-request',
    });
    expect(erased).toMatchObject({ status: 200, body: { personId: person, erased: true } });

    // The erasure lands in the audit log, with the admin as its actor.
    const after = await eventually(async () => {
      const rows = await auditRows();
      return rows.some((r) => r.type === PERSON_ERASED && r.subject === person) ? rows : undefined;
    }, 'person.erased in the audit log');
    const erasure = after.find((r) => r.type === PERSON_ERASED)!;
    expect({ subject: erasure.subject, actor: erasure.actor }).toEqual({ subject: person, actor: callers.admin.sub });
    const { rows: topics } = await db.query('SELECT topic FROM audit.log WHERE position = $1', [erasure.position]);
    expect(topics[0].topic).toBe(Topics.operations);
    // Nothing it held before changed, and the whole log recomputes.
    expect(after.slice(0, before.length)).toEqual(before);
    const report = await verifyLog(async (sql, params) => (await db.query(sql, params)).rows, null);
    expect(report).toMatchObject({ ok: true, entries: after.length });

    // The sector answers the note as erased, never an error; the sealed rows are still there.
    const shown = await call(caseworker, url);
    expect(shown.status).toBe(200);
    expect(shown.body.hold).toEqual({ code: 'awaiting-documents', note: null, noteErased: true });
    expect(shown.text).not.toContain('Yusleidy');
    const { rows: sealed } = await db.query(
      'SELECT count(*)::int AS n FROM intake.direct_identifiers WHERE person_id = $1',
      [person],
    );
    expect(sealed[0].n).toBe(1);
    const { rows: keys } = await db.query('SELECT wrapped_key FROM keyring.person_keys WHERE person_id = $1', [person]);
    expect(keys).toEqual([{ wrapped_key: null }]);
  });
});
