import 'reflect-metadata';
import {
  agencyToken,
  consentRecorded,
  createTestEnvironment,
  demoUserToken,
  personId,
  personRegistered,
  realmIssuer,
  resolveKeycloak,
  vulnerabilityScreened,
  type TestEnvironment,
} from '@ruta/testing';
import { Client } from 'pg';
import { eventually } from './http';
import { startSystem, type RunningSystem } from './system-apps';

/**
 * Casework end to end with real Keycloak tokens: the five services verify the realm's RS256
 * tokens (issuer, audience, JWKS fetched from Keycloak), intake comes from the agency system's
 * service account, and the realm's demo users act: a caseworker takes a routed referral from
 * requested to completed, a supervisor reassigns one and overrides a consent deferral with a
 * legal basis, and a missed deadline raises referral.sla-breached once.
 */
describe('casework with real Keycloak tokens', () => {
  let environment: TestEnvironment;
  let system: RunningSystem;
  let db: Client;
  const scanInterval = process.env.RUTA_SLA_SCAN_INTERVAL_SECONDS;

  beforeAll(async () => {
    const keycloak = await resolveKeycloak();
    environment = await createTestEnvironment('casework');
    process.env.RUTA_SLA_SCAN_INTERVAL_SECONDS = '1';
    system = await startSystem({ issuerUrl: realmIssuer(keycloak) });
    db = new Client({ connectionString: environment.databaseUrl });
    await db.connect();
  });

  afterAll(async () => {
    await db?.end();
    await system?.close();
    await environment?.teardown();
    if (scanInterval === undefined) delete process.env.RUTA_SLA_SCAN_INTERVAL_SECONDS;
    else process.env.RUTA_SLA_SCAN_INTERVAL_SECONDS = scanInterval;
  });

  /** A realm user's fresh access token (they live five minutes) and its subject. */
  const signIn = async (username: string) => {
    const token = await demoUserToken(username);
    const claims = JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()) as { sub: string };
    return { token, subject: claims.sub };
  };

  const call = async (
    token: string,
    method: 'GET' | 'POST',
    url: string,
    options: { body?: unknown; ifMatch?: string; idempotencyKey?: string } = {},
  ) => {
    const response = await fetch(url, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(options.body === undefined ? {} : { 'content-type': 'application/json' }),
        ...(options.ifMatch ? { 'if-match': options.ifMatch } : {}),
        ...(options.idempotencyKey ? { 'idempotency-key': options.idempotencyKey } : {}),
      },
      ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
    });
    const text = await response.text();
    return { status: response.status, etag: response.headers.get('etag'), body: text ? JSON.parse(text) : undefined };
  };

  /** Posts intake events as the agency system's service account (client credentials, role border-agent). */
  const intake = async (events: { id: string }[]) => {
    const token = await agencyToken();
    for (const event of events) {
      const answer = await fetch(`${system.urls.intake}/v1/intake/events`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/cloudevents+json' },
        body: JSON.stringify(event),
      });
      expect(answer.status).toBe(202);
    }
  };

  /** A pregnant person at Lajas Blancas who consented to health: health routes maternal-health to its point there. */
  const pregnantWithConsent = async () => {
    const person = personId();
    await intake([
      personRegistered(person),
      consentRecorded(person, ['health']),
      vulnerabilityScreened(person, { pregnant: true }),
    ]);
    return person;
  };

  const health = (path: string) => `${system.urls.health}/v1/health${path}`;

  /** The health referral of `person`, once routing made it, as the caseworker's queue shows it. */
  const routedReferral = async (token: string, person: string) =>
    eventually(async () => {
      const { rows } = await db.query<{ id: string }>(`SELECT id FROM health.referrals WHERE person_id = $1`, [person]);
      if (rows.length === 0) return undefined;
      const queue = await call(token, 'GET', health('/queue?limit=200'));
      expect(queue.status).toBe(200);
      return (queue.body.items as { id: string; personId: string }[]).find((r) => r.personId === person);
    }, `health to route a referral of ${person}`);

  it('a caseworker takes a routed referral from requested to completed; others see nothing of it', async () => {
    const person = await pregnantWithConsent();
    const caseworker = await signIn('health-caseworker-lajas-blancas');
    const listed = await routedReferral(caseworker.token, person);
    const url = health(`/referrals/${listed.id}`);

    const shown = await call(caseworker.token, 'GET', url);
    expect(shown).toMatchObject({ status: 200, body: { status: 'requested', servicePointId: 'health-lajas-blancas' } });
    let etag = shown.etag!;
    for (const [action, body, status] of [
      ['accept', {}, 'accepted'],
      ['start', {}, 'in-progress'],
      ['complete', { outcome: 'service-provided', note: 'seen at the station clinic' }, 'completed'],
    ] as const) {
      const answer = await call(caseworker.token, 'POST', `${url}:${action}`, { body, ifMatch: etag });
      expect(answer).toMatchObject({ status: 200, body: { status } });
      expect(answer.etag).not.toBe(etag);
      etag = answer.etag!;
    }
    // The old version is stale now: a change on it is refused, nothing changes.
    const stale = await call(caseworker.token, 'POST', `${url}:cancel`, {
      body: { reason: 'duplicate' },
      ifMatch: shown.etag!,
    });
    expect(stale.status).toBe(412);

    const done = await call(caseworker.token, 'GET', url);
    expect(done.body).toMatchObject({
      status: 'completed',
      assignee: caseworker.subject,
      outcome: { code: 'service-provided' },
    });
    expect((done.body.timeline as { type: string; actor: string }[]).map((e) => [e.type, e.actor])).toEqual([
      ['referral.requested', 'system:health-routing'],
      ['referral.accepted', caseworker.subject],
      ['referral.started', caseworker.subject],
      ['referral.completed', caseworker.subject],
    ]);

    // Another point's caseworker and another sector's caseworker: not found, and the answer names nothing.
    for (const username of ['health-caseworker-los-planes', 'protection-caseworker-lajas-blancas']) {
      const other = await signIn(username);
      const answer = await call(other.token, 'GET', url);
      expect(answer.status).toBe(404);
      expect(JSON.stringify(answer.body)).not.toContain(listed.id);
      expect(JSON.stringify(answer.body)).not.toContain(person);
    }
    // An auditor has no casework role: refused before anything is looked up.
    expect((await call((await signIn('auditor')).token, 'GET', url)).status).toBe(403);
  });

  it('a supervisor assigns a referral to one caseworker and reassigns it to another', async () => {
    const person = await pregnantWithConsent();
    const supervisor = await signIn('health-supervisor');
    const first = await signIn('health-caseworker-lajas-blancas');
    const second = await signIn('health-caseworker-2-lajas-blancas');
    const listed = await routedReferral(supervisor.token, person);
    const url = health(`/referrals/${listed.id}`);

    const shown = await call(supervisor.token, 'GET', url);
    const assigned = await call(supervisor.token, 'POST', `${url}:assign`, {
      body: { assignee: first.subject },
      ifMatch: shown.etag!,
      idempotencyKey: `assign-${listed.id}`,
    });
    expect(assigned).toMatchObject({ status: 200, body: { assignee: first.subject } });
    // A caseworker may not reassign, even their own.
    const refused = await call(first.token, 'POST', `${url}:reassign`, {
      body: { assignee: second.subject },
      ifMatch: assigned.etag!,
    });
    expect(refused.status).toBe(403);
    const reassigned = await call(supervisor.token, 'POST', `${url}:reassign`, {
      body: { assignee: second.subject },
      ifMatch: assigned.etag!,
    });
    expect(reassigned).toMatchObject({ status: 200, body: { assignee: second.subject } });
    // The first caseworker no longer holds it: they cannot accept it; the second can.
    expect((await call(first.token, 'POST', `${url}:accept`, { body: {}, ifMatch: reassigned.etag! })).status).toBe(
      403,
    );
    const accepted = await call(second.token, 'POST', `${url}:accept`, { body: {}, ifMatch: reassigned.etag! });
    expect(accepted).toMatchObject({ status: 200, body: { status: 'accepted', assignee: second.subject } });
    // The second caseworker's own list shows it.
    const mine = await call(second.token, 'GET', health('/my-referrals'));
    expect((mine.body.items as { id: string }[]).map((r) => r.id)).toContain(listed.id);
  });

  it('a supervisor overrides a consent deferral with a legal basis; a caseworker cannot', async () => {
    const person = personId();
    // Pregnant, no consent recorded: health defers maternal-health for want of consent.
    await intake([personRegistered(person), vulnerabilityScreened(person, { pregnant: true })]);
    const supervisor = await signIn('health-supervisor');
    const deferral = await eventually(async () => {
      const decisions = await call(supervisor.token, 'GET', health(`/decisions?personId=${person}`));
      expect(decisions.status).toBe(200);
      return (decisions.body.items as { decisionId: string; outcome: string; rule: string }[]).find(
        (d) => d.outcome === 'deferred' && d.rule === 'maternal-health',
      );
    }, 'health to defer maternal-health');
    const url = health(`/decisions/${deferral.decisionId}:override-consent`);
    const body = { legalBasis: 'vital-interest', reason: 'vital-interest-emergency', note: 'bleeding at arrival' };

    const caseworker = await signIn('health-caseworker-lajas-blancas');
    expect((await call(caseworker.token, 'POST', url, { body })).status).toBe(403);
    const overridden = await call(supervisor.token, 'POST', url, { body, idempotencyKey: `override-${person}` });
    expect(overridden).toMatchObject({
      status: 201,
      body: { legalBasis: 'vital-interest', referralType: 'maternal-health' },
    });
    const { rows } = await db.query(`SELECT legal_basis, status FROM health.referrals WHERE person_id = $1`, [person]);
    expect(rows).toEqual([{ legal_basis: 'vital-interest', status: 'requested' }]);

    // The auditors see the override, by whom, without the note.
    const auditor = await signIn('auditor');
    const logged = await eventually(async () => {
      const history = await call(auditor.token, 'GET', `${system.urls.audit}/v1/audit/events?subject=${person}`);
      const items = history.body.items as { event: { type: string; data: Record<string, unknown> } }[];
      return items.find((i) => i.event.type === 'decision.consent-overridden');
    }, 'the audit log to keep the override');
    expect(logged.event.data).toMatchObject({ actor: supervisor.subject, legalBasis: 'vital-interest' });
    expect(JSON.stringify(logged)).not.toContain('bleeding');
  });

  it('raises referral.sla-breached once for a referral nobody acknowledged in time', async () => {
    const person = await pregnantWithConsent();
    const supervisor = await signIn('health-supervisor');
    const listed = await routedReferral(supervisor.token, person);
    // maternal-health is urgent: acknowledge within 24 h. The referral is made to look 25 h old.
    await db.query(`UPDATE health.referrals SET created_at = created_at - interval '25 hours' WHERE id = $1`, [
      listed.id,
    ]);
    const auditor = await signIn('auditor');
    const breaches = async () => {
      const history = await call(auditor.token, 'GET', `${system.urls.audit}/v1/audit/events?subject=${person}`);
      return (history.body.items as { event: { type: string; data: { kind: string } } }[]).filter(
        (i) => i.event.type === 'referral.sla-breached',
      );
    };
    const first = await eventually(async () => ((await breaches()).length > 0 ? breaches() : undefined), 'a breach');
    expect(first.map((b) => b.event.data.kind)).toEqual(['acknowledge']);
    // Several more scans (one a second) find the same breach and raise nothing new.
    await new Promise((resolve) => setTimeout(resolve, 4_000));
    expect((await breaches()).length).toBe(1);
    const overdue = await call(supervisor.token, 'GET', health('/overdue-referrals'));
    expect(overdue.body.items).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ id: listed.id, sla: expect.objectContaining({ overdue: 'acknowledge' }) }),
      ]),
    );
  });
});
