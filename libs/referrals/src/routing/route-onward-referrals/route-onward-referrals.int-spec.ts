import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import { getDataSourceToken } from '@nestjs/typeorm';
import { Partitioners, type Producer } from 'kafkajs';
import { Topics, type CloudEvent, type ReferralReferredOnwardV1, type Sector } from '@ruta/contracts';
import { deadLetterTopic, MessagingService } from '@ruta/messaging';
import { createServiceApp } from '@ruta/platform';
import {
  consentRecorded,
  createTestEnvironment,
  personId,
  personRegistered,
  sequenced,
  startTestIssuer,
  waitUntil,
  type TestEnvironment,
  type TestIssuer,
} from '@ruta/testing';
import type { DataSource } from 'typeorm';
import { SectorAppModule } from '../../sector-app.module';
import { onwardInboxId } from './route-onward-referrals.handler';

/** A referral.referred-onward as wt-casework's refer-onward publishes it from protection. */
function onward(person: string, data: Partial<ReferralReferredOnwardV1> = {}): CloudEvent<ReferralReferredOnwardV1> {
  const at = new Date().toISOString();
  return {
    specversion: '1.0',
    id: randomUUID(),
    source: 'ruta/protection-service',
    type: 'referral.referred-onward',
    subject: person,
    time: at,
    datacontenttype: 'application/json',
    data: {
      referralId: randomUUID(),
      personId: person,
      sector: 'protection',
      referralType: 'child-protection',
      priority: 'emergency',
      legalBasis: 'best-interests-of-child',
      servicePointId: 'protection-san-vicente',
      stationId: 'san-vicente',
      ruleSetVersion: 'default-v1',
      toSector: 'health',
      onwardReferralType: 'mental-health',
      onwardLegalBasis: 'vital-interest',
      reason: 'health-concern',
      referredAt: at,
      ...data,
    },
  };
}

/**
 * Health (the receiving sector) and social development (a bystander) in-process over the real
 * PostgreSQL and Kafka: onward referrals published by hand on referrals.onward.v1.
 */
describe('onward referrals routed by the receiving sector', () => {
  let environment: TestEnvironment;
  let issuer: TestIssuer;
  const apps: INestApplication[] = [];
  let health: DataSource;
  let social: DataSource;
  let producer: Producer;
  const person = personId();

  beforeAll(async () => {
    environment = await createTestEnvironment('onward');
    // No HTTP here, but every sector app verifies tokens and needs an issuer to start.
    issuer = await startTestIssuer();
    for (const sector of ['health', 'social-development'] as Sector[]) {
      const app = await createServiceApp(SectorAppModule.forSector(sector));
      await app.init();
      apps.push(app);
    }
    await Promise.all(apps.map((a) => a.get(MessagingService).started));
    [health, social] = apps.map((a) => a.get<DataSource>(getDataSourceToken())) as [DataSource, DataSource];
    producer = environment.kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
    await producer.connect();
    // Known to every sector, consent for protection only: health has no consent of its own.
    const intake = [
      sequenced(personRegistered(person, { stationId: 'los-planes' }), 1),
      sequenced(consentRecorded(person, ['protection']), 2),
    ];
    await producer.send({
      topic: environment.namespace + Topics.intakeEvents,
      messages: intake.map((e) => ({ key: person, value: JSON.stringify(e) })),
    });
    await waitUntil(
      async () =>
        (await inboxed(
          health,
          intake.map((e) => e.id),
        ))
          ? true
          : undefined,
      'intake',
    );
  });

  afterAll(async () => {
    await producer?.disconnect();
    await Promise.all(apps.map((a) => a.close()));
    await issuer?.stop();
    await environment?.teardown();
  });

  async function inboxed(db: DataSource, ids: string[]): Promise<boolean> {
    const [{ count }] = await db.query(
      `SELECT count(*)::int AS count FROM "${schemaOf(db)}".inbox WHERE event_id = ANY($1::text[])`,
      [ids],
    );
    return count === ids.length;
  }
  const schemaOf = (db: DataSource) => (db.options as { schema: string }).schema;

  async function publish(...values: (CloudEvent | string)[]) {
    await producer.send({
      topic: environment.namespace + Topics.onwardReferrals,
      messages: values.map((v) => ({ key: person, value: typeof v === 'string' ? v : JSON.stringify(v) })),
    });
  }
  const routed = (db: DataSource, ...events: CloudEvent[]) =>
    waitUntil(
      async () =>
        (await inboxed(
          db,
          events.map((e) => onwardInboxId(e.id)),
        ))
          ? true
          : undefined,
      'routed',
    );

  const healthReferrals = (): Promise<Record<string, unknown>[]> =>
    health.query(
      `SELECT id, type, status, priority, legal_basis, service_point_id, station_id, rule_set_version, decision_inputs,
              source_event_id FROM health.referrals WHERE person_id = $1 ORDER BY created_at`,
      [person],
    );
  const decisionsOf = (event: CloudEvent) =>
    health.query(
      `SELECT referral_type, outcome, reason, legal_basis, inputs, referral_id FROM health.decisions WHERE event_id = $1`,
      [event.id],
    );

  it('makes a referral on the onward basis at the station’s point, once however often it is delivered', async () => {
    const event = onward(person);
    await publish(event, event);
    await routed(health, event);
    await publish(event);
    const later = onward(person, { onwardReferralType: 'nutrition', onwardLegalBasis: 'vital-interest' });
    await publish(later);
    await routed(health, later);
    const referrals = await healthReferrals();
    const [mentalHealth] = referrals;
    expect(referrals.map((r) => r.type)).toEqual(['mental-health', 'nutrition']);
    expect(mentalHealth).toEqual({
      id: expect.any(String),
      type: 'mental-health',
      status: 'requested',
      priority: 'emergency',
      legal_basis: 'vital-interest',
      service_point_id: 'health-los-planes',
      station_id: 'los-planes',
      rule_set_version: 'default-v1',
      decision_inputs: { fromSector: 'protection', fromReferralId: event.data.referralId },
      source_event_id: event.id,
    });
    expect(await decisionsOf(event)).toEqual([
      {
        referral_type: 'mental-health',
        outcome: 'referred',
        reason: 'referred-onward',
        legal_basis: 'vital-interest',
        inputs: { fromSector: 'protection', fromReferralId: event.data.referralId },
        referral_id: mentalHealth!.id,
      },
    ]);
    const timeline = await health.query(`SELECT type, actor FROM health.referral_events WHERE referral_id = $1`, [
      mentalHealth!.id,
    ]);
    expect(timeline).toEqual([{ type: 'referral.requested', actor: 'system:health-routing' }]);
    const requested = await readUntil(Topics.referralEvents, (e) => e.data?.referralId === mentalHealth!.id);
    expect(requested).toMatchObject({
      type: 'referral.requested',
      source: 'ruta/health-service',
      subject: person,
      data: { sector: 'health', referralType: 'mental-health', legalBasis: 'vital-interest', priority: 'emergency' },
    });
  });

  it('defers a consent basis without consent for this sector, and refuses a type it has no rule for', async () => {
    const consent = onward(person, { onwardReferralType: 'chronic-care', onwardLegalBasis: 'consent' });
    const unknown = onward(person, { onwardReferralType: 'shelter' });
    await publish(consent, unknown);
    await routed(health, consent, unknown);
    expect(await decisionsOf(consent)).toEqual([
      expect.objectContaining({
        outcome: 'deferred',
        reason: 'consent-required',
        legal_basis: 'consent',
        referral_id: null,
      }),
    ]);
    expect(await decisionsOf(unknown)).toEqual([
      expect.objectContaining({ referral_type: 'shelter', outcome: 'refused', reason: 'unknown-referral-type' }),
    ]);
    expect((await healthReferrals()).map((r) => r.type)).toEqual(['mental-health', 'nutrition']);
  });

  it('is ignored by a sector it is not addressed to, which routes the one that is', async () => {
    const forHealth = onward(person, { onwardReferralType: 'medical-care' });
    const forSocial = onward(person, { toSector: 'social-development', onwardReferralType: 'shelter' });
    await publish(forHealth, forSocial);
    // Same key, same partition: once the later one is routed, the earlier one was passed by.
    await routed(social, forSocial);
    await routed(health, forHealth);
    const socialDecisions = await social.query(
      `SELECT event_id, outcome, reason FROM social_development.decisions WHERE person_id = $1 AND event_id = ANY($2)`,
      [person, [forHealth.id, forSocial.id]],
    );
    expect(socialDecisions).toEqual([{ event_id: forSocial.id, outcome: 'referred', reason: 'referred-onward' }]);
    expect(await inboxed(social, [onwardInboxId(forHealth.id)])).toBe(false);
    expect(await inboxed(health, [onwardInboxId(forSocial.id)])).toBe(false);
  });

  it('dead-letters an onward referral for it that breaks the contract, naming the field, and goes on', async () => {
    const broken = onward(person, { onwardLegalBasis: 'public-interest' as never });
    const next = onward(person, { onwardReferralType: 'maternal-health' });
    await publish(broken, next);
    await routed(health, next);
    expect(await inboxed(health, [onwardInboxId(broken.id)])).toBe(false);
    const letter = await readUntil(deadLetterTopic(Topics.onwardReferrals), (l) => l.eventId === broken.id);
    expect(letter).toMatchObject({
      group: 'health-service-onward',
      errorCode: 'MESSAGE.INVALID',
      fields: ['data.onwardLegalBasis'],
    });
    expect(JSON.stringify(letter)).not.toContain('public-interest');
  });

  /** Reads `topic` from the beginning until a message matches. */
  async function readUntil(topic: string, matches: (value: Record<string, any>) => boolean) {
    const seen: Record<string, any>[] = [];
    const reader = environment.kafka.consumer({ groupId: `${environment.namespace}reader-${randomUUID()}` });
    await reader.connect();
    await reader.subscribe({ topic: environment.namespace + topic, fromBeginning: true });
    await reader.run({ eachMessage: async ({ message }) => void seen.push(JSON.parse(message.value!.toString())) });
    try {
      return await waitUntil(async () => seen.find(matches), `a message on ${topic}`);
    } finally {
      await reader.disconnect();
    }
  }
});
