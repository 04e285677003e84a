import 'reflect-metadata';
import { INTAKE_EVENT_TYPES, type Sector } from '@ruta/contracts';
import {
  callers,
  consentRecorded,
  householdLinked,
  personDeparted,
  personId,
  personRegistered,
  personTransferred,
  vulnerabilityScreened,
  type TestCaller,
} from '@ruta/testing';
import { Client } from 'pg';
import { rebuildSector } from '../apps/audit-service/src/audit-log/rebuild/rebuild';
import { eventually, postJson } from './http';
import { startSystemWithDatabase, type RunningSystem, type SystemWithDatabase } from './system-apps';
import { sectorSchema } from '@ruta/referrals';

const SECTORS: Sector[] = ['health', 'social-development', 'protection'];

/**
 * Rebuilding projections from the audit log (issue 11): the whole system routes intake events and
 * caseworkers act on the referrals over HTTP; once every sector and the audit log caught up, a
 * rebuild of each sector from the log alone matches its live schema, and a row altered behind the
 * services' back is named, table, key and column.
 */
describe('rebuilding a sector from the audit log', () => {
  let running: SystemWithDatabase;
  let system: RunningSystem;
  let db: Client;
  const posted: { id: string }[] = [];
  /** The health referral the first test alters live. */
  let altered: string;

  beforeAll(async () => {
    running = await startSystemWithDatabase('rebuild');
    ({ system, db } = running);
  });

  afterAll(() => running?.close());

  const sql = async <T>(text: string, params?: unknown[]) => (await db.query(text, params)).rows as T[];

  const intake = async (...events: { id: string }[]) => {
    for (const event of events) {
      const answer = await postJson(
        `${system.urls.intake}/v1/intake/events`,
        event,
        await system.headersOf(callers.borderAgent),
      );
      expect(answer.status).toBe(202);
      posted.push(event);
    }
  };

  const urlOf = (sector: Sector) =>
    ({
      health: system.urls.health,
      'social-development': system.urls.socialDevelopment,
      protection: system.urls.protection,
    })[sector];

  const referralOf = (sector: Sector, person: string, type?: string) =>
    eventually(async () => {
      const [row] = await sql<{ id: string }>(
        `SELECT id FROM "${sectorSchema(sector)}".referrals WHERE person_id = $1 AND ($2::text IS NULL OR type = $2)`,
        [person, type ?? null],
      );
      return row?.id;
    }, `${sector} to route a referral of ${person}`);

  /** A casework command on the referral's current version, as `caller`; it must succeed. */
  const act = async (caller: TestCaller, sector: Sector, id: string, command: string, body: object = {}) => {
    const headers = await system.headersOf(caller);
    const url = `${urlOf(sector)}/v1/${sector}/referrals/${id}`;
    const shown = await fetch(url, { headers });
    expect(shown.status).toBe(200);
    const answer = await fetch(`${url}:${command}`, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/json', 'if-match': shown.headers.get('etag')! },
      body: JSON.stringify(body),
    });
    expect({ command, status: answer.status }).toEqual({ command, status: 200 });
  };

  /**
   * Quiet: every sector applied every intake event, and the log holds every intake event and every
   * message the sectors published (one per timeline row, and a decision.consent-overridden per override).
   */
  const quiet = async () => {
    const ids = posted.map((e) => e.id);
    await eventually(async () => {
      for (const sector of SECTORS) {
        const [{ n }] = (await sql<{ n: number }>(
          `SELECT count(*)::int AS n FROM "${sectorSchema(sector)}".inbox WHERE event_id = ANY($1::text[])`,
          [ids],
        )) as [{ n: number }];
        if (n !== ids.length) return undefined;
      }
      let published = 0;
      for (const sector of SECTORS) {
        const s = sectorSchema(sector);
        const [{ n }] = (await sql<{ n: number }>(
          `SELECT (SELECT count(*) FROM "${s}".referral_events)::int
                + (SELECT count(*) FROM "${s}".decisions WHERE outcome = 'overridden')::int AS n`,
        )) as [{ n: number }];
        published += n;
      }
      const [log] = await sql<{ intake: number; referral: number }>(
        `SELECT count(*) FILTER (WHERE type = ANY($1::text[]))::int AS intake,
                count(*) FILTER (WHERE NOT type = ANY($1::text[]))::int AS referral FROM audit.log`,
        [INTAKE_EVENT_TYPES],
      );
      return log!.intake === ids.length && log!.referral === published ? true : undefined;
    }, 'the sectors and the audit log to catch up');
  };

  const health = {
    caseworker: callers.caseworker('health', 'health-lajas-blancas'),
    supervisor: callers.supervisor('health'),
  };

  it('rebuilds every sector with no difference, then names the one referral column altered live', async () => {
    // Given people routed by all three sectors ...
    const [completed, moved, deferred, rejected, cancelled, onward, head, child, alone] = Array.from(
      { length: 9 },
      personId,
    );
    for (const person of [completed, moved, rejected, cancelled, onward]) {
      await intake(personRegistered(person), consentRecorded(person, ['health', 'protection']));
      await intake(vulnerabilityScreened(person, { pregnant: true }));
    }
    await intake(personRegistered(deferred), vulnerabilityScreened(deferred, { pregnant: true }));
    await intake(
      personRegistered(head, { sex: 'male' }),
      personRegistered(child, { ageYears: 9 }),
      householdLinked(head, [
        { personId: head, relationship: 'head' },
        { personId: child, relationship: 'child' },
      ]),
      consentRecorded(head, ['social-development']),
      vulnerabilityScreened(head, { needsShelter: true }),
      personRegistered(alone, { ageYears: 12 }),
      vulnerabilityScreened(alone, { unaccompaniedChild: true }),
    );
    // ... routing moving and cancelling a referral on its own ...
    await intake(personTransferred(moved, 'lajas-blancas', 'los-planes'));
    await intake(personDeparted(moved));
    // ... and casework on the rest: a whole lifecycle, a rejection, an onward referral, a transfer, a cancel.
    const a = (altered = await referralOf('health', completed));
    await act(health.supervisor, 'health', a, 'assign', { assignee: health.caseworker.sub });
    await act(health.caseworker, 'health', a, 'accept');
    await act(health.caseworker, 'health', a, 'start');
    await act(health.caseworker, 'health', a, 'hold', { reason: 'awaiting-documents', note: 'brings them tomorrow' });
    await act(health.caseworker, 'health', a, 'resume');
    await act(health.caseworker, 'health', a, 'complete', { outcome: 'service-provided', note: 'seen at the clinic' });
    await act(health.caseworker, 'health', await referralOf('health', rejected), 'reject', { reason: 'not-eligible' });
    const o = await referralOf('health', onward);
    await act(health.caseworker, 'health', o, 'accept');
    await act(health.caseworker, 'health', o, 'refer-onward', {
      toSector: 'protection',
      referralType: 'protection-assistance',
      legalBasis: 'consent',
      reason: 'protection-concern',
    });
    await referralOf('protection', onward, 'protection-assistance');
    await act(health.supervisor, 'health', o, 'transfer', { servicePointId: 'health-los-planes' });
    await act(health.supervisor, 'health', await referralOf('health', cancelled), 'cancel', { reason: 'duplicate' });
    // ... and a supervisor overriding a consent deferral.
    const deferral = await eventually(async () => {
      const [row] = await sql<{ id: string }>(
        `SELECT id::text AS id FROM health.decisions WHERE person_id = $1 AND outcome = 'deferred'`,
        [deferred],
      );
      return row?.id;
    }, 'health to defer a referral for want of consent');
    const override = await fetch(`${system.urls.health}/v1/health/decisions/${deferral}:override-consent`, {
      method: 'POST',
      headers: { ...(await system.headersOf(health.supervisor)), 'content-type': 'application/json' },
      body: JSON.stringify({ legalBasis: 'vital-interest', reason: 'vital-interest-emergency' }),
    });
    expect(override.status).toBe(201);
    await quiet();

    // When each sector is rebuilt from the log, then nothing differs from its live schema.
    for (const sector of SECTORS) {
      const result = await rebuildSector(sql, { sector });
      expect({ sector, differences: result.differences, report: result.report, orphans: result.orphans }).toEqual({
        sector,
        differences: 0,
        report: [],
        orphans: 0,
      });
      expect(result.applied).toBeGreaterThan(0);
    }
    const [{ rows }] = [await db.query(`SELECT count(*)::int AS n FROM health.referrals`)];
    expect(rows[0].n).toBeGreaterThanOrEqual(6);

    // When a live referral's priority is changed behind the services' back ...
    await sql(`UPDATE health.referrals SET priority = 'emergency' WHERE id = $1`, [a]);
    const rebuilt = await rebuildSector(sql, { sector: 'health', keep: true });
    // ... then the rebuild names that referral and that column only, and keeps its scratch schema.
    expect(rebuilt.differences).toBe(1);
    expect(rebuilt.report).toEqual([
      { table: 'referrals', key: { id: a }, column: 'priority', live: 'emergency', rebuilt: 'urgent' },
    ]);
    const [kept] = await sql<{ n: number }>(`SELECT count(*)::int AS n FROM "${rebuilt.scratchSchema}".referrals`);
    expect(kept!.n).toBe(rows[0].n);
    await sql(`DROP SCHEMA "${rebuilt.scratchSchema}" CASCADE`);
  });

  const audit = async (method: 'GET' | 'POST', path: string, body?: unknown) => {
    const response = await fetch(`${system.urls.audit}${path}`, {
      method,
      headers: {
        ...(await system.headersOf(callers.auditor)),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    return {
      status: response.status,
      location: response.headers.get('location'),
      body: text ? JSON.parse(text) : undefined,
    };
  };

  it('runs a rebuild as a job an auditor starts and polls; its report stays readable after it ended', async () => {
    // Given the live referral altered by the test before, when an auditor starts a rebuild of health ...
    const started = await audit('POST', '/v1/audit/rebuilds', { sector: 'health' });
    expect(started).toMatchObject({ status: 202, body: { sector: 'health', state: 'running' } });
    expect(started.location).toBe(`/v1/audit/rebuilds/${started.body.id}`);
    // ... then polling its Location shows it done, with its progress and the difference.
    const done = await eventually(async () => {
      const job = await audit('GET', started.location!);
      expect(job.status).toBe(200);
      return job.body.state === 'running' ? undefined : job.body;
    }, 'the rebuild job to end');
    expect(done).toMatchObject({ state: 'done', sector: 'health', differences: 1, etaSeconds: 0 });
    expect(done.processed).toBe(done.total);
    expect(done.report).toEqual([
      { table: 'referrals', key: { id: altered }, column: 'priority', live: 'emergency', rebuilt: 'urgent' },
    ]);
    // The scratch schema is gone.
    expect(await sql(`SELECT 1 FROM pg_namespace WHERE starts_with(nspname, 'rebuild_')`)).toEqual([]);
  });

  it('refuses a second rebuild of a sector while one runs, but not behind a job whose process died', async () => {
    // Given a running protection job with a live heartbeat, a start is refused ...
    const running = '00000000-0000-4000-8000-00000000000a';
    await sql(
      `INSERT INTO audit.rebuild_jobs (id, sector, state, requested_by) VALUES ($1, 'protection', 'running', 'x')`,
      [running],
    );
    expect(await audit('POST', '/v1/audit/rebuilds', { sector: 'protection' })).toMatchObject({
      status: 409,
      body: { type: 'urn:ruta:problem:audit.rebuild-running' },
    });
    // ... and when its heartbeat stopped long ago, a start takes over and the dead job reads failed.
    await sql(`UPDATE audit.rebuild_jobs SET heartbeat_at = now() - interval '1 hour' WHERE id = $1`, [running]);
    const started = await audit('POST', '/v1/audit/rebuilds', { sector: 'protection' });
    expect(started.status).toBe(202);
    expect((await audit('GET', `/v1/audit/rebuilds/${running}`)).body).toMatchObject({
      state: 'failed',
      failure: 'interrupted',
    });
    await eventually(async () => {
      const job = await audit('GET', started.location!);
      return job.body.state === 'running' ? undefined : job.body;
    }, 'the protection rebuild to end');
  });

  it('answers a client mistake with a 4xx naming the field, never echoing it', async () => {
    const badSector = await audit('POST', '/v1/audit/rebuilds', { sector: 'police' });
    expect(badSector).toMatchObject({ status: 400, body: { errors: [{ field: 'sector' }] } });
    expect(JSON.stringify(badSector.body)).not.toContain('police');
    expect((await audit('GET', '/v1/audit/rebuilds/not-a-job')).status).toBe(400);
    expect((await audit('GET', '/v1/audit/rebuilds/00000000-0000-4000-8000-0000000000ff')).status).toBe(404);
  });
});
