import 'reflect-metadata';
import type { INestApplication } from '@nestjs/common';
import { getDataSourceToken } from '@nestjs/typeorm';
import {
  contractsByType,
  readCloudEvent,
  REFERRAL_EVENT_CONTRACTS,
  Topics,
  type CloudEvent,
  type Sector,
} from '@ruta/contracts';
import { MessagingService } from '@ruta/messaging';
import { createServiceApp } from '@ruta/platform';
import {
  consentRecorded,
  createTestEnvironment,
  personDeparted,
  personId,
  personRegistered,
  readWholeTopic,
  sequenced,
  startTestIssuer,
  tokenFor,
  vulnerabilityScreened,
  waitUntil,
  type TestCaller,
  type TestEnvironment,
  type TestIssuer,
} from '@ruta/testing';
import { Partitioners, type Producer } from 'kafkajs';
import type { DataSource } from 'typeorm';
import { SectorAppModule } from '../sector-app.module';
import { idempotencyKeysRetention } from './idempotency-retention';

/** The contracts the audit service judges referrals.events.v1 with (its AUDITED_CONTRACTS' referral half). */
const AUDITED = contractsByType(REFERRAL_EVENT_CONTRACTS);

const POINT = 'health-lajas-blancas';
const PROBLEM_JSON = expect.stringMatching(/^application\/problem\+json/);
const CALLERS = {
  ana: { sub: 'cw-ana', roles: ['caseworker'], sector: 'health', servicePoint: POINT },
  luis: { sub: 'cw-luis', roles: ['caseworker'], sector: 'health', servicePoint: POINT },
  rosa: { sub: 'sv-rosa', roles: ['supervisor'], sector: 'health', servicePoint: 'health-los-planes' },
  sol: { sub: 'cw-sol', roles: ['caseworker'], sector: 'health', servicePoint: 'health-los-planes' },
  vera: { sub: 'cw-vera', roles: ['caseworker'], sector: 'health', servicePoint: 'health-san-vicente' },
  noa: {
    sub: 'cw-noa',
    roles: ['caseworker', 'supervisor'],
    sector: 'protection',
    servicePoint: 'protection-lajas-blancas',
  },
  eva: { sub: 'au-eva', roles: ['auditor'], sector: 'health', servicePoint: POINT },
} satisfies Record<string, TestCaller>;
type Who = keyof typeof CALLERS;

interface Answer {
  status: number;
  etag: string | null;
  type: string | null;
  replayed: boolean;
  body: Record<string, any>;
  text: string;
}

/**
 * The health service's casework over HTTP, in process on loopback, against the real PostgreSQL and
 * Kafka: referrals routed from intake events, tokens from a loopback issuer.
 */
describe('casework over HTTP (health): the referral lifecycle', () => {
  let issuer: TestIssuer;
  let environment: TestEnvironment;
  let app: INestApplication;
  let dataSource: DataSource;
  let producer: Producer;
  let url: string;
  const tokens = new Map<Who, string>();

  beforeAll(async () => {
    issuer = await startTestIssuer();
    environment = await createTestEnvironment('casework');
    app = await createServiceApp(SectorAppModule.forSector('health'));
    await app.listen(0, '127.0.0.1');
    url = (await app.getUrl()).replace('[::1]', '127.0.0.1');
    dataSource = app.get<DataSource>(getDataSourceToken());
    await app.get(MessagingService).started;
    producer = environment.kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
    await producer.connect();
    for (const who of Object.keys(CALLERS) as Who[]) tokens.set(who, await tokenFor(issuer, CALLERS[who]));
  });

  afterAll(async () => {
    await producer?.disconnect();
    await app?.close();
    await environment?.teardown();
    await issuer?.stop();
  });

  let sequence = 0;
  /** Publishes intake events for `person` as the gateway would, and waits until health applied them. */
  const intake = async (person: string, events: CloudEvent[]) => {
    const published = events.map((e) => sequenced(e, ++sequence));
    await producer.send({
      topic: environment.namespace + Topics.intakeEvents,
      messages: published.map((e) => ({ key: person, value: JSON.stringify(e) })),
    });
    const ids = published.map((e) => e.id);
    await waitUntil(async () => {
      const [{ count }] = await dataSource.query(
        'SELECT count(*)::int AS count FROM health.inbox WHERE event_id = ANY($1)',
        [ids],
      );
      return count === ids.length ? true : undefined;
    }, 'intake events applied');
  };

  /** A maternal-health referral routing made for a new person registered at Lajas Blancas. */
  const routed = async (): Promise<{ person: string; id: string }> => {
    const person = personId();
    await intake(person, [
      personRegistered(person),
      consentRecorded(person, ['health']),
      vulnerabilityScreened(person, { pregnant: true }),
    ]);
    const [row] = await dataSource.query(
      `SELECT id FROM health.referrals WHERE person_id = $1 AND type = 'maternal-health'`,
      [person],
    );
    expect(row).toBeDefined();
    return { person, id: row.id };
  };

  const call = async (
    who: Who,
    method: 'GET' | 'POST',
    path: string,
    options: { body?: unknown; ifMatch?: string; key?: string; sector?: Sector } = {},
  ): Promise<Answer> => {
    const headers: Record<string, string> = { authorization: `Bearer ${tokens.get(who)}` };
    if (options.body !== undefined) headers['content-type'] = 'application/json';
    if (options.ifMatch !== undefined) headers['if-match'] = options.ifMatch;
    if (options.key !== undefined) headers['idempotency-key'] = options.key;
    const response = await fetch(`${url}/v1/${options.sector ?? 'health'}/referrals/${path}`, {
      method,
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
    });
    const text = await response.text();
    return {
      status: response.status,
      etag: response.headers.get('etag'),
      type: response.headers.get('content-type'),
      replayed: response.headers.get('idempotent-replayed') === 'true',
      body: text ? JSON.parse(text) : {},
      text,
    };
  };
  const get = (who: Who, id: string) => call(who, 'GET', id);
  /** POST {id}:<verb> with the body and If-Match given. */
  const act = (who: Who, id: string, verb: string, ifMatch: string | undefined, body: unknown = {}, key?: string) =>
    call(who, 'POST', `${id}:${verb}`, { body, ifMatch, key });

  /** The messages health published about `person` (referrals.events.v1, and onward ones on referrals.onward.v1). */
  const published = async (person: string): Promise<CloudEvent[]> => {
    await waitUntil(async () => {
      const [{ count }] = await dataSource.query('SELECT count(*)::int AS count FROM health.outbox');
      return count === 0 ? true : undefined;
    }, 'the outbox published');
    const messages = [
      ...(await readWholeTopic(environment.kafka, environment.namespace + Topics.referralEvents)),
      ...(await readWholeTopic(environment.kafka, environment.namespace + Topics.onwardReferrals)),
    ];
    return messages
      .filter((m) => m.key?.toString() === person)
      .map((m) => JSON.parse(m.value!.toString()) as CloudEvent);
  };

  const timelineOf = async (id: string) =>
    (await get('rosa', id)).body.timeline.map((e: { type: string; actor: string; version: number }) =>
      [e.version, e.type, e.actor].join(' '),
    );

  it('walks a routed referral requested → accepted → in-progress → on-hold → in-progress → completed, with ETags', async () => {
    const { person, id } = await routed();
    const first = await get('ana', id);
    expect(first).toMatchObject({ status: 200, etag: '"1"' });
    expect(first.body).toMatchObject({ id, personId: person, status: 'requested', version: 1, assignee: null });
    expect(first.body.timeline).toEqual([
      expect.objectContaining({
        version: 1,
        type: 'referral.requested',
        actor: 'system:health-routing',
        priority: first.body.priority,
        servicePointId: POINT,
      }),
    ]);

    const accepted = await act('ana', id, 'accept', '"1"');
    expect(accepted).toMatchObject({ status: 200, etag: '"2"' });
    expect(accepted.body).toMatchObject({ status: 'accepted', assignee: 'cw-ana', version: 2 });
    expect(accepted.body.acceptedAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
    expect(await act('ana', id, 'start', '"2"')).toMatchObject({
      status: 200,
      etag: '"3"',
      body: { status: 'in-progress' },
    });
    const held = await act('ana', id, 'hold', '"3"', {
      reason: 'awaiting-documents',
      note: 'Maria Lopez brings her card',
    });
    expect(held).toMatchObject({
      status: 200,
      etag: '"4"',
      body: { status: 'on-hold', hold: { code: 'awaiting-documents', note: 'Maria Lopez brings her card' } },
    });
    expect(await act('ana', id, 'resume', '"4"')).toMatchObject({ status: 200, etag: '"5"', body: { hold: null } });
    const completed = await act('ana', id, 'complete', '"5"', {
      outcome: 'service-provided',
      note: 'seen by Dr. Ruiz with Maria Lopez',
    });
    expect(completed).toMatchObject({
      status: 200,
      etag: '"6"',
      body: { status: 'completed', outcome: { code: 'service-provided', note: 'seen by Dr. Ruiz with Maria Lopez' } },
    });
    expect(completed.body.closedAt).toBe(completed.body.finishedAt);

    const shown = await get('ana', id);
    expect(shown).toMatchObject({ status: 200, etag: '"6"', body: { status: 'completed', version: 6 } });
    expect(
      shown.body.timeline.map((e: { version: number; type: string; actor: string }) => [e.version, e.type, e.actor]),
    ).toEqual([
      [1, 'referral.requested', 'system:health-routing'],
      [2, 'referral.accepted', 'cw-ana'],
      [3, 'referral.started', 'cw-ana'],
      [4, 'referral.put-on-hold', 'cw-ana'],
      [5, 'referral.resumed', 'cw-ana'],
      [6, 'referral.completed', 'cw-ana'],
    ]);
    expect(shown.body.timeline[3].reason).toEqual({ code: 'awaiting-documents', note: 'Maria Lopez brings her card' });
    expect(shown.body.timeline[5].outcome).toEqual({
      code: 'service-provided',
      note: 'seen by Dr. Ruiz with Maria Lopez',
    });

    const events = await published(person);
    const casework = events.filter((e) => e.data && (e.data as { referralId?: string }).referralId === id);
    expect(casework.map((e) => e.type)).toEqual([
      'referral.requested',
      'referral.accepted',
      'referral.started',
      'referral.put-on-hold',
      'referral.resumed',
      'referral.completed',
    ]);
    expect(casework[3]!.data).toMatchObject({
      actor: 'cw-ana',
      reason: 'awaiting-documents',
      heldAt: expect.any(String),
    });
    expect(casework[5]!.data).toMatchObject({ actor: 'cw-ana', outcome: 'service-provided' });
    for (const event of casework) {
      expect(event).toMatchObject({ source: 'ruta/health-service', subject: person });
      // The audit service's judge takes every one of them.
      expect({ type: event.type, read: readCloudEvent(event, AUDITED).ok }).toEqual({ type: event.type, read: true });
      // Notes may name people: they stay in health's own timeline.
      expect(JSON.stringify(event)).not.toMatch(/Maria|Ruiz|note/);
    }

    // The next intake event still fires the rule: the completed referral is not made again.
    await intake(person, [vulnerabilityScreened(person, { pregnant: true })]);
    const made = await dataSource.query(
      `SELECT status FROM health.referrals WHERE person_id = $1 AND type = 'maternal-health'`,
      [person],
    );
    expect(made).toEqual([{ status: 'completed' }]);
  });

  describe('preconditions', () => {
    it('needs If-Match (428), refuses a stale version (412) and a malformed one (400), as problem+json', async () => {
      const { id } = await routed();
      const without = await act('ana', id, 'accept', undefined);
      expect(without).toMatchObject({ status: 428, type: PROBLEM_JSON, body: { status: 428 } });
      expect(without.body.errors).toEqual([expect.objectContaining({ field: 'If-Match' })]);
      expect(await act('ana', id, 'accept', 'W/"1"')).toMatchObject({ status: 412 });
      expect(await act('ana', id, 'accept', '1')).toMatchObject({
        status: 400,
        body: { errors: [{ field: 'If-Match' }] },
      });
      // A command without data may come without a body.
      expect(await call('ana', 'POST', `${id}:accept`, { ifMatch: '"1"' })).toMatchObject({ status: 200, etag: '"2"' });
      const stale = await act('ana', id, 'start', '"1"');
      expect(stale).toMatchObject({
        status: 412,
        type: PROBLEM_JSON,
        body: { type: 'urn:ruta:problem:referral.stale-version' },
      });
      expect((await get('ana', id)).body).toMatchObject({ status: 'accepted', version: 2 });
    });

    it('answers a retried request from its Idempotency-Key: same status, body and ETag, one event', async () => {
      const { id } = await routed();
      const key = `hold-${id}`;
      await act('ana', id, 'accept', '"1"');
      await act('ana', id, 'start', '"2"');
      const body = { reason: 'awaiting-person', note: 'calls back Tuesday' };
      const first = await act('ana', id, 'hold', '"3"', body, key);
      const again = await act('ana', id, 'hold', '"3"', { note: 'calls back Tuesday', reason: 'awaiting-person' }, key);
      expect(first).toMatchObject({ status: 200, etag: '"4"', replayed: false });
      expect(again).toMatchObject({ status: 200, etag: '"4"', replayed: true, body: first.body });
      const holds = await dataSource.query(
        `SELECT count(*)::int AS count FROM health.referral_events WHERE referral_id = $1 AND type = 'referral.put-on-hold'`,
        [id],
      );
      expect(holds).toEqual([{ count: 1 }]);

      const other = await act('ana', id, 'hold', '"3"', { reason: 'awaiting-documents' }, key);
      expect(other).toMatchObject({
        status: 422,
        type: PROBLEM_JSON,
        body: { code: 'REQUEST.IDEMPOTENCY_KEY_REUSED' },
      });
      // Another caller's keys are their own.
      expect(await act('luis', id, 'resume', '"4"', {}, key)).toMatchObject({ status: 403, replayed: false });
    });

    it('lets one of two concurrent changes on one version through, and answers concurrent retries once', async () => {
      const { id } = await routed();
      const racing = await Promise.all([act('ana', id, 'accept', '"1"'), act('rosa', id, 'accept', '"1"')]);
      expect(racing.map((a) => a.status).sort()).toEqual([200, 412]);
      const key = `reassign-race-${id}`;
      const retries = await Promise.all(
        [1, 2, 3].map(() => act('rosa', id, 'reassign', '"2"', { assignee: 'cw-luis' }, key)),
      );
      expect(new Set(retries.map((a) => `${a.status} ${a.etag}`))).toEqual(new Set(['200 "3"']));
      expect(retries.filter((a) => a.replayed)).toHaveLength(2);
      const [{ count }] = await dataSource.query(
        'SELECT count(*)::int AS count FROM health.referral_events WHERE referral_id = $1',
        [id],
      );
      expect(count).toBe(3);
    });

    it('keeps a refusal for its key, so a retry gets the same 409', async () => {
      const { id } = await routed();
      const refused = await act('ana', id, 'start', '"1"', {}, `start-${id}`);
      expect(refused).toMatchObject({
        status: 409,
        body: { code: 'REFERRAL.INVALID_TRANSITION', type: 'urn:ruta:problem:referral.invalid-transition' },
      });
      await act('rosa', id, 'accept', '"1"');
      // The referral is now accepted, but the retry is answered as the first request was.
      expect(await act('ana', id, 'start', '"1"', {}, `start-${id}`)).toMatchObject({
        status: 409,
        replayed: true,
        body: refused.body,
      });
      expect(await act('ana', id, 'start', '"1"', {}, 'bad\u00e9key')).toMatchObject({ status: 400 });
    });
  });

  it('forgets Idempotency-Key answers after a day, with the retention job', async () => {
    const { id } = await routed();
    await act('ana', id, 'accept', '"1"', {}, `old-${id}`);
    await act('ana', id, 'start', '"2"', {}, `new-${id}`);
    await dataSource.query(
      `UPDATE health.idempotency_keys SET created_at = now() - interval '25 hours' WHERE key = $1`,
      [`old-${id}`],
    );
    const runner = dataSource.createQueryRunner();
    try {
      expect(await idempotencyKeysRetention().deleteChunk(runner, 'health', 1000)).toBeGreaterThanOrEqual(1);
    } finally {
      await runner.release();
    }
    const kept = await dataSource.query('SELECT key FROM health.idempotency_keys WHERE key = ANY($1) ORDER BY key', [
      [`old-${id}`, `new-${id}`],
    ]);
    expect(kept).toEqual([{ key: `new-${id}` }]);
  });

  describe('refusals', () => {
    it('refuses an invalid transition with 409 REFERRAL.INVALID_TRANSITION', async () => {
      const { id } = await routed();
      const answer = await act('ana', id, 'complete', '"1"', { outcome: 'service-provided' });
      expect(answer).toMatchObject({ status: 409, type: PROBLEM_JSON });
      expect(answer.body).toEqual({
        type: 'urn:ruta:problem:referral.invalid-transition',
        title: 'invalid transition',
        status: 409,
        detail: 'cannot complete a referral that is requested',
        code: 'REFERRAL.INVALID_TRANSITION',
      });
    });

    it('names the field of a data refusal (422), and of a malformed body (400), never echoing it', async () => {
      const { id } = await routed();
      const unknown = await act('ana', id, 'reject', '"1"', { reason: 'Maria-is-rude' });
      expect(unknown).toMatchObject({
        status: 422,
        body: { code: 'REFERRAL.UNKNOWN_REASON', errors: [{ field: 'reason' }] },
      });
      expect(unknown.text).not.toMatch(/Maria/);
      const other = await act('ana', id, 'reject', '"1"', { reason: 'other' });
      expect(other).toMatchObject({
        status: 422,
        body: { code: 'REFERRAL.NOTE_REQUIRED', errors: [{ field: 'note' }] },
      });
      const extra = await act('ana', id, 'reject', '"1"', { reason: 'duplicate', maria: 'x' });
      expect(extra).toMatchObject({ status: 400 });
      expect(extra.text).not.toMatch(/maria/);
      expect(await act('ana', id, 'accept', '"1"', { note: 'x' })).toMatchObject({ status: 400 });
      expect((await get('ana', id)).body).toMatchObject({ status: 'requested', version: 1 });
    });

    it("answers 404 to a caseworker of another point as for no referral, and to another sector's as for no path", async () => {
      const { id } = await routed();
      const nothing = await get('ana', '00000000-0000-4000-8000-000000000000');
      expect(nothing).toMatchObject({ status: 404, body: { type: 'urn:ruta:problem:referral.not-found' } });
      expect(await get('sol', id)).toMatchObject({ status: 404, body: nothing.body });
      expect(await act('sol', id, 'accept', '"1"')).toMatchObject({ status: 404, body: nothing.body });
      // Another sector's caseworker meets the guard's sector check first: the 404 of a path that does not exist.
      const noPath = await call('ana', 'GET', `${id}/no-such-path`);
      expect(noPath.status).toBe(404);
      expect(await get('noa', id)).toMatchObject({ status: 404, body: noPath.body });
      expect(await act('noa', id, 'accept', '"1"')).toMatchObject({ status: 404, body: noPath.body });
      // A protection caseworker on the protection path of a health referral: not found there either.
      expect(await call('noa', 'GET', id, { sector: 'protection' })).toMatchObject({ status: 404 });
      // Roles that do no casework are refused by the guard.
      expect(await get('eva', id)).toMatchObject({ status: 403 });
      expect((await get('ana', id)).body).toMatchObject({ status: 'requested', version: 1 });
    });

    it('refuses a caseworker what only a supervisor does, and what another caseworker holds', async () => {
      const { id } = await routed();
      expect(await act('ana', id, 'assign', '"1"', { assignee: 'cw-luis' })).toMatchObject({
        status: 403,
        body: { code: 'REFERRAL.FORBIDDEN' },
      });
      await act('luis', id, 'accept', '"1"');
      expect(await act('ana', id, 'start', '"2"')).toMatchObject({ status: 403, body: { code: 'REFERRAL.FORBIDDEN' } });
    });
  });

  describe('supervisors', () => {
    it('assign, reassign and transfer across the points of their sector', async () => {
      const { person, id } = await routed();
      // rosa's token names another point: a supervisor acts across the sector anyway.
      expect(await act('rosa', id, 'assign', '"1"', { assignee: 'cw-ana' })).toMatchObject({
        status: 200,
        etag: '"2"',
        body: { assignee: 'cw-ana', status: 'requested' },
      });
      expect(await act('rosa', id, 'assign', '"2"', { assignee: 'cw-luis' })).toMatchObject({
        status: 409,
        body: { code: 'REFERRAL.ALREADY_ASSIGNED' },
      });
      expect(await act('rosa', id, 'reassign', '"2"', { assignee: 'cw-luis' })).toMatchObject({
        status: 200,
        etag: '"3"',
        body: { assignee: 'cw-luis' },
      });
      expect(await act('rosa', id, 'transfer', '"3"', { servicePointId: 'health-nowhere' })).toMatchObject({
        status: 422,
        body: { code: 'REFERRAL.UNKNOWN_SERVICE_POINT', errors: [{ field: 'servicePointId' }] },
      });
      expect(await act('rosa', id, 'transfer', '"3"', { servicePointId: 'protection-san-vicente' })).toMatchObject({
        status: 422,
        body: { code: 'REFERRAL.TRANSFER_OTHER_SECTOR', errors: [{ field: 'servicePointId' }] },
      });
      const moved = await act('rosa', id, 'transfer', '"3"', { servicePointId: 'health-san-vicente' });
      expect(moved).toMatchObject({
        status: 200,
        etag: '"4"',
        body: { servicePointId: 'health-san-vicente', stationId: 'san-vicente', assignee: null },
      });
      // The old point's caseworker no longer sees it; the new point's does.
      expect(await get('ana', id)).toMatchObject({ status: 404 });
      expect(await get('vera', id)).toMatchObject({ status: 200, etag: '"4"' });
      expect(await timelineOf(id)).toEqual([
        '1 referral.requested system:health-routing',
        '2 referral.assigned sv-rosa',
        '3 referral.assigned sv-rosa',
        '4 referral.transferred sv-rosa',
      ]);
      const events = (await published(person)).filter((e) => (e.data as { referralId: string }).referralId === id);
      expect(events.map((e) => e.type)).toEqual([
        'referral.requested',
        'referral.assigned',
        'referral.assigned',
        'referral.transferred',
      ]);
      expect(events[2]!.data).toMatchObject({ assignee: 'cw-luis', previousAssignee: 'cw-ana', actor: 'sv-rosa' });
      expect(events[3]!.data).toMatchObject({
        servicePointId: 'health-san-vicente',
        stationId: 'san-vicente',
        fromServicePointId: POINT,
        fromStationId: 'lajas-blancas',
      });
      for (const event of events)
        expect({ type: event.type, ok: readCloudEvent(event, AUDITED).ok }).toEqual({ type: event.type, ok: true });
    });

    it('cancels what nobody took up, with a reason code published and the note kept at home', async () => {
      const { person, id } = await routed();
      const cancelled = await act('rosa', id, 'cancel', '"1"', { reason: 'created-in-error', note: 'typed by Maria' });
      expect(cancelled).toMatchObject({
        status: 200,
        body: { status: 'cancelled', closeReason: { code: 'created-in-error', note: 'typed by Maria' } },
      });
      const [event] = (await published(person)).filter((e) => e.type === 'referral.cancelled');
      expect(event!.data).toMatchObject({
        referralId: id,
        reason: 'created-in-error',
        cancelledAt: expect.any(String),
      });
      expect(JSON.stringify(event)).not.toMatch(/Maria/);
      expect(readCloudEvent(event, AUDITED).ok).toBe(true);
    });
  });

  describe('refer-onward', () => {
    it("publishes referral.referred-onward with the source referral's facts, the target and the reason code", async () => {
      const { person, id } = await routed();
      await act('ana', id, 'accept', '"1"');
      expect(
        await act('ana', id, 'refer-onward', '"2"', {
          toSector: 'protection',
          referralType: 'medical-care',
          legalBasis: 'consent',
          reason: 'protection-concern',
        }),
      ).toMatchObject({
        status: 422,
        body: { code: 'REFERRAL.UNKNOWN_REFERRAL_TYPE', errors: [{ field: 'referralType' }] },
      });
      const onward = await act('ana', id, 'refer-onward', '"2"', {
        toSector: 'protection',
        referralType: 'protection-assistance',
        legalBasis: 'consent',
        reason: 'protection-concern',
        note: 'Maria fears her partner',
      });
      expect(onward).toMatchObject({ status: 200, etag: '"3"', body: { status: 'accepted', version: 3 } });
      const shown = await get('ana', id);
      const referral = shown.body;
      const [event] = (await published(person)).filter((e) => e.type === 'referral.referred-onward');
      expect(event).toMatchObject({ source: 'ruta/health-service', subject: person });
      expect(event!.data).toEqual({
        referralId: id,
        personId: person,
        sector: 'health',
        referralType: 'maternal-health',
        priority: referral.priority,
        legalBasis: referral.legalBasis,
        servicePointId: POINT,
        stationId: 'lajas-blancas',
        ruleSetVersion: referral.ruleSetVersion,
        toSector: 'protection',
        onwardReferralType: 'protection-assistance',
        onwardLegalBasis: 'consent',
        reason: 'protection-concern',
        referredAt: expect.stringMatching(/Z$/),
      });
      expect(JSON.stringify(event)).not.toMatch(/Maria/);
      expect(shown.body.timeline.at(-1)).toMatchObject({
        version: 3,
        type: 'referral.referred-onward',
        actor: 'cw-ana',
        reason: { code: 'protection-concern', note: 'Maria fears her partner' },
      });
    });
  });

  describe('routing on the timeline', () => {
    it("cancels the open referrals of a departed person, closing them with routing's reason on the timeline", async () => {
      const { person, id } = await routed();
      await act('ana', id, 'accept', '"1"');
      await intake(person, [personDeparted(person)]);
      const shown = await get('ana', id);
      expect(shown).toMatchObject({
        status: 200,
        etag: '"3"',
        body: {
          status: 'cancelled',
          closeReason: { code: 'person-departed', note: null },
          closedAt: expect.any(String),
        },
      });
      expect(shown.body.timeline.at(-1)).toMatchObject({
        version: 3,
        type: 'referral.cancelled',
        actor: 'system:health-routing',
        reason: { code: 'person-departed', note: null },
      });
      expect(await act('ana', id, 'start', '"3"')).toMatchObject({ status: 409 });
    });
  });
});
