import 'reflect-metadata';
import type { INestApplication } from '@nestjs/common';
import { getDataSourceToken } from '@nestjs/typeorm';
import { Partitioners, type Producer } from 'kafkajs';
import {
  contractsByType,
  INTAKE_EVENT_CONTRACTS,
  readCloudEvent,
  REFERRAL_EVENT_CONTRACTS,
  Topics,
  type CloudEvent,
} from '@ruta/contracts';
import { MessagingService } from '@ruta/messaging';
import { createServiceApp } from '@ruta/platform';
import {
  asylumIntentExpressed,
  consentRecorded,
  createTestEnvironment,
  personId,
  personRegistered,
  sequenced,
  startTestIssuer,
  tokenFor,
  vulnerabilityScreened,
  waitUntil,
  type TestEnvironment,
  type TestIssuer,
} from '@ruta/testing';
import type { DataSource } from 'typeorm';
import { SectorAppModule } from '../../sector-app.module';

/** What the audit service reads referrals.events.v1 with. */
const AUDITED = contractsByType([...INTAKE_EVENT_CONTRACTS, ...REFERRAL_EVENT_CONTRACTS]);
const NOTE = 'found unconscious near the river, companion says Maria';

/**
 * The protection service in-process on loopback, over the real PostgreSQL and Kafka: routing
 * defers for want of consent, a supervisor overrides on the server, routing leaves it alone after.
 */
describe('POST /v1/protection/decisions/{id}:override-consent', () => {
  let environment: TestEnvironment;
  let issuer: TestIssuer;
  let app: INestApplication;
  let base: string;
  let db: DataSource;
  let producer: Producer;
  const published: CloudEvent[] = [];
  let stopReading: () => Promise<void>;
  let tokens: Record<'supervisor' | 'caseworker' | 'healthSupervisor' | 'otherSupervisor', string>;
  const person = personId();
  let deferred: { international: string; gbv: string };

  beforeAll(async () => {
    environment = await createTestEnvironment('override');
    issuer = await startTestIssuer();
    app = await createServiceApp(SectorAppModule.forSector('protection'));
    await app.listen(0, '127.0.0.1');
    base = (await app.getUrl()).replace('[::1]', '127.0.0.1');
    await app.get(MessagingService).started;
    db = app.get<DataSource>(getDataSourceToken());
    producer = environment.kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
    await producer.connect();
    const reader = environment.kafka.consumer({ groupId: `${environment.namespace}override-reader` });
    await reader.connect();
    await reader.subscribe({ topic: environment.namespace + Topics.referralEvents, fromBeginning: true });
    await reader.run({
      eachMessage: async ({ message }) => void published.push(JSON.parse(message.value!.toString('utf8'))),
    });
    stopReading = () => reader.disconnect();
    // Supervisors act across their sector: this one sits at another point than the person's.
    tokens = {
      supervisor: await tokenFor(issuer, {
        sub: 'sv-rosa',
        roles: ['supervisor'],
        sector: 'protection',
        servicePoint: 'protection-san-vicente',
      }),
      otherSupervisor: await tokenFor(issuer, { sub: 'sv-ines', roles: ['supervisor'], sector: 'protection' }),
      caseworker: await tokenFor(issuer, {
        sub: 'cw-ana',
        roles: ['caseworker'],
        sector: 'protection',
        servicePoint: 'protection-lajas-blancas',
      }),
      healthSupervisor: await tokenFor(issuer, {
        sub: 'sv-luis',
        roles: ['supervisor'],
        sector: 'health',
        servicePoint: 'health-lajas-blancas',
      }),
    };
    // An adult who expressed asylum intent and screened gbvRisk, no consent: both deferred.
    await send(
      sequenced(personRegistered(person, { stationId: 'lajas-blancas' }), 1),
      sequenced(asylumIntentExpressed(person), 2),
      sequenced(vulnerabilityScreened(person, { gbvRisk: true }), 3),
    );
    const rows = await waitUntil(async () => {
      const found: { id: string; referral_type: string }[] = await db.query(
        `SELECT id::text AS id, referral_type FROM protection.decisions WHERE person_id = $1 AND outcome = 'deferred'`,
        [person],
      );
      return found.length === 2 ? found : undefined;
    }, 'two deferrals');
    const idOf = (type: string) => rows.find((r) => r.referral_type === type)!.id;
    deferred = { international: idOf('international-protection'), gbv: idOf('gbv-case-management') };
  });

  afterAll(async () => {
    await stopReading?.();
    await producer?.disconnect();
    await app?.close();
    await issuer?.stop();
    await environment?.teardown();
  });

  async function send(...events: CloudEvent[]) {
    await producer.send({
      topic: environment.namespace + Topics.intakeEvents,
      messages: events.map((e) => ({ key: e.subject, value: JSON.stringify(e) })),
    });
  }

  async function override(decisionId: string, token: string, body: unknown, key?: string) {
    const response = await fetch(`${base}/v1/protection/decisions/${decisionId}:override-consent`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${token}`,
        'content-type': 'application/json',
        ...(key ? { 'idempotency-key': key } : {}),
      },
      body: JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, type: response.headers.get('content-type'), text, body: JSON.parse(text) };
  }

  const referralsOf = (type: string): Promise<Record<string, unknown>[]> =>
    db.query(
      `SELECT id, status, legal_basis, service_point_id, station_id, priority, rule_set_version, decision_inputs
       FROM protection.referrals WHERE person_id = $1 AND type = $2`,
      [person, type],
    );
  const valid = { legalBasis: 'vital-interest', reason: 'vital-interest-emergency', note: NOTE };

  it('answers 403 to a caseworker: overriding consent is a supervisor’s', async () => {
    const answer = await override(deferred.international, tokens.caseworker, valid);
    expect(answer.status).toBe(403);
    expect(await referralsOf('international-protection')).toEqual([]);
  });

  it("answers 404 to another sector's supervisor as for a path that does not exist, and alike to unknown ids", async () => {
    const other = await override(deferred.international, tokens.healthSupervisor, valid);
    const unknown = await override('999999999', tokens.supervisor, valid);
    const malformed = await override('not-a-number', tokens.supervisor, valid);
    expect([other.status, unknown.status, malformed.status]).toEqual([404, 404, 404]);
    // The guard's sector check comes first: another sector meets the 404 of an unknown path.
    const noPath = await fetch(`${base}/v1/protection/no-such-path`, {
      headers: { authorization: `Bearer ${tokens.supervisor}` },
    });
    expect(other.body).toEqual(await noPath.json());
    expect(malformed.body).toEqual(unknown.body);
    expect(other.type).toMatch(/^application\/problem\+json/);
    expect(await referralsOf('international-protection')).toEqual([]);
  });

  it('answers 422 naming legalBasis for consent as the basis, or none, and 400 for a field it does not know', async () => {
    const consent = await override(deferred.international, tokens.supervisor, { ...valid, legalBasis: 'consent' });
    expect(consent.status).toBe(422);
    expect(consent.body).toMatchObject({
      type: 'urn:ruta:problem:decision.consent-is-not-a-basis',
      status: 422,
      errors: [{ field: 'legalBasis' }],
    });
    const none = await override(deferred.international, tokens.supervisor, { reason: 'child-at-risk' });
    expect(none.body).toMatchObject({
      type: 'urn:ruta:problem:referral.legal-basis-required',
      errors: [{ field: 'legalBasis' }],
    });
    const reason = await override(deferred.international, tokens.supervisor, { ...valid, reason: 'SECRET-reason' });
    expect(reason.body).toMatchObject({ status: 422, errors: [{ field: 'reason' }] });
    const unknownField = await override(deferred.international, tokens.supervisor, { ...valid, consentGiven: true });
    expect(unknownField.status).toBe(400);
    for (const answer of [consent, none, reason, unknownField]) {
      expect(answer.text).not.toMatch(/Maria|SECRET|river/);
    }
    expect(await referralsOf('international-protection')).toEqual([]);
  });

  it('never overrides gbv-case-management: 409 DECISION.OVERRIDE_NOT_PERMITTED', async () => {
    const answer = await override(deferred.gbv, tokens.supervisor, valid);
    expect(answer.status).toBe(409);
    expect(answer.body).toMatchObject({ type: 'urn:ruta:problem:decision.override-not-permitted', status: 409 });
    expect(await referralsOf('gbv-case-management')).toEqual([]);
  });

  it('makes exactly one referral with the basis, records who and why, and publishes both events without the note', async () => {
    const answer = await override(deferred.international, tokens.supervisor, valid, 'key-override-1');
    expect(answer.status).toBe(201);
    const referrals = await referralsOf('international-protection');
    expect(referrals).toEqual([
      {
        id: answer.body.referralId,
        status: 'requested',
        legal_basis: 'vital-interest',
        service_point_id: 'protection-lajas-blancas',
        station_id: 'lajas-blancas',
        priority: 'urgent',
        rule_set_version: 'default-v1',
        decision_inputs: {},
      },
    ]);
    expect(answer.body).toEqual({
      decisionId: deferred.international,
      overrideDecisionId: expect.stringMatching(/^\d+$/),
      referralId: expect.any(String),
      referralType: 'international-protection',
      priority: 'urgent',
      servicePointId: 'protection-lajas-blancas',
      legalBasis: 'vital-interest',
      reason: 'vital-interest-emergency',
      overriddenAt: expect.any(String),
    });
    const [decision] = await db.query(
      `SELECT outcome, reason, legal_basis, actor, referral_id, inputs FROM protection.decisions WHERE id = $1`,
      [answer.body.overrideDecisionId],
    );
    expect(decision).toEqual({
      outcome: 'overridden',
      reason: 'vital-interest-emergency',
      legal_basis: 'vital-interest',
      actor: 'sv-rosa',
      referral_id: answer.body.referralId,
      inputs: { overriddenDecisionId: deferred.international },
    });
    const timeline = await db.query(`SELECT type, actor, data FROM protection.referral_events WHERE referral_id = $1`, [
      answer.body.referralId,
    ]);
    // The note is kept sealed with the person's data key: its text is nowhere in the row.
    expect(timeline).toEqual([
      {
        type: 'referral.requested',
        actor: 'sv-rosa',
        data: expect.objectContaining({
          legalBasis: 'vital-interest',
          consentOverride: {
            decisionId: deferred.international,
            reason: { code: 'vital-interest-emergency', note: { sealed: expect.any(String) } },
          },
        }),
      },
    ]);
    expect(JSON.stringify(timeline)).not.toContain('Maria');
    // ...and opened for the supervisor who reads the referral.
    const shown = await fetch(`${base}/v1/protection/referrals/${answer.body.referralId}`, {
      headers: { authorization: `Bearer ${tokens.supervisor}` },
    });
    const { timeline: shownTimeline } = (await shown.json()) as {
      timeline: { consentOverride: { reason: unknown } }[];
    };
    expect(shownTimeline[0]!.consentOverride.reason).toEqual({
      code: 'vital-interest-emergency',
      note: NOTE,
    });
    const [{ view }] = await db.query(`SELECT view FROM protection.person_view WHERE person_id = $1`, [person]);
    expect(view.outcomes['international-protection']).toBe('referred');

    const events = await waitUntil(async () => {
      const mine = published.filter((e) => e.subject === person);
      return mine.length >= 2 ? mine : undefined;
    }, 'the override and the referral on referrals.events.v1');
    expect(events.map((e) => e.type)).toEqual(['decision.consent-overridden', 'referral.requested']);
    expect(events[0]!.data).toEqual({
      decisionId: deferred.international,
      personId: person,
      sector: 'protection',
      referralType: 'international-protection',
      servicePointId: 'protection-lajas-blancas',
      referralId: answer.body.referralId,
      legalBasis: 'vital-interest',
      reason: 'vital-interest-emergency',
      actor: 'sv-rosa',
      overriddenAt: answer.body.overriddenAt,
    });
    expect(events[1]!.data).toMatchObject({ referralId: answer.body.referralId, legalBasis: 'vital-interest' });
    for (const event of events) {
      expect(JSON.stringify(event)).not.toMatch(/Maria|river/);
      // The audit service's judge accepts both as they were published.
      expect(readCloudEvent(event, AUDITED).ok).toBe(true);
    }
  });

  it('replays the answer for the same key and body, refuses the key with another body, and makes no second referral', async () => {
    const replay = await override(deferred.international, tokens.supervisor, valid, 'key-override-1');
    expect(replay.status).toBe(201);
    const again = await override(deferred.international, tokens.otherSupervisor, {
      legalBasis: 'best-interests-of-child',
      reason: 'child-at-risk',
    });
    expect(again.status).toBe(200);
    expect(again.body).toEqual({ ...replay.body, overriddenAt: expect.any(String) });
    expect(Date.parse(again.body.overriddenAt)).toBe(Date.parse(replay.body.overriddenAt));
    const reused = await override(
      deferred.international,
      tokens.supervisor,
      { ...valid, note: 'other' },
      'key-override-1',
    );
    expect(reused.status).toBe(422);
    expect(reused.body).toMatchObject({
      type: 'urn:ruta:problem:request.idempotency-key-reused',
      code: 'REQUEST.IDEMPOTENCY_KEY_REUSED',
      errors: [{ field: 'Idempotency-Key' }],
    });
    expect(await referralsOf('international-protection')).toHaveLength(1);
  });

  it('makes one referral when overrides race, with or without one key: the second waits, then answers the first', async () => {
    const racers = [personId(), personId()];
    for (const racer of racers) {
      await send(sequenced(personRegistered(racer), 1), sequenced(asylumIntentExpressed(racer), 2));
    }
    const ids = await waitUntil(async () => {
      const found: { id: string }[] = await db.query(
        `SELECT id::text AS id FROM protection.decisions WHERE person_id = ANY($1) AND outcome = 'deferred'
         ORDER BY array_position($1, person_id)`,
        [racers],
      );
      return found.length === 2 ? found.map((r) => r.id) : undefined;
    }, 'two racing deferrals');
    const sameKey = await Promise.all([
      override(ids[0]!, tokens.supervisor, valid, 'key-race'),
      override(ids[0]!, tokens.supervisor, valid, 'key-race'),
    ]);
    expect(sameKey.map((a) => a.status)).toEqual([201, 201]);
    expect(sameKey[1]!.body).toEqual(sameKey[0]!.body);
    const twoSupervisors = await Promise.all([
      override(ids[1]!, tokens.supervisor, valid),
      override(ids[1]!, tokens.otherSupervisor, valid),
    ]);
    expect(twoSupervisors.map((a) => a.status).sort()).toEqual([200, 201]);
    expect(twoSupervisors[0]!.body.referralId).toBe(twoSupervisors[1]!.body.referralId);
    const [{ count }] = await db.query(
      `SELECT count(*)::int AS count FROM protection.referrals WHERE person_id = ANY($1)`,
      [racers],
    );
    expect(count).toBe(2);
  });

  it("makes nothing new when consent later arrives: routing sees the override's referral", async () => {
    await send(sequenced(consentRecorded(person, ['protection']), 4));
    // gbv-case-management has consent now, so routing refers it: the consent was processed.
    await waitUntil(async () => ((await referralsOf('gbv-case-management')).length === 1 ? true : undefined), 'gbv');
    expect(await referralsOf('international-protection')).toHaveLength(1);
    const decisions = await db.query(
      `SELECT outcome FROM protection.decisions WHERE person_id = $1 AND referral_type = 'international-protection'
       ORDER BY id`,
      [person],
    );
    expect(decisions.map((d: { outcome: string }) => d.outcome)).toEqual(['deferred', 'overridden']);
    // The deferral is no longer deferred: consent or the override settled it.
    const late = await override(deferred.international, tokens.supervisor, valid);
    expect(late.status).toBe(200);
  });
});
