import 'reflect-metadata';
import type { INestApplication } from '@nestjs/common';
import { Partitioners, type Producer } from 'kafkajs';
import { Topics } from '@ruta/contracts';
import { createServiceApp } from '@ruta/platform';
import {
  consentRecorded,
  createTestEnvironment,
  personId,
  personDeparted,
  personRegistered,
  personTransferred,
  startTestIssuer,
  vulnerabilityScreened,
  type TestEnvironment,
  type TestIssuer,
} from '@ruta/testing';
import { getDataSourceToken } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { SectorAppModule } from '../../sector-app.module';

/** The health service's consumer over the real broker and database: at-least-once in, exactly-once effects. */
describe('sector intake consumer (health)', () => {
  let producer: Producer;
  let app: INestApplication;
  let dataSource: DataSource;
  let environment: TestEnvironment;
  let issuer: TestIssuer;

  beforeAll(async () => {
    // The app verifies tokens of this loopback issuer (RUTA_AUTH_ISSUER); it needs one to boot.
    issuer = await startTestIssuer();
    environment = await createTestEnvironment('sector');
    app = await createServiceApp(SectorAppModule.forSector('health'));
    await app.init();
    dataSource = app.get<DataSource>(getDataSourceToken());
    producer = environment.kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
    await producer.connect();
  });

  afterAll(async () => {
    await producer?.disconnect();
    await app?.close();
    await environment?.teardown();
    await issuer?.stop();
  });

  const send = (values: string[], key: string) =>
    producer.send({
      topic: environment.namespace + Topics.intakeEvents,
      messages: values.map((value) => ({ key, value })),
    });

  const count = async (sql: string, params: unknown[]) => (await dataSource.query(sql, params))[0].count as number;

  const waitForInbox = async (eventIds: string[]) => {
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline) {
      const seen = await count('SELECT count(*)::int AS count FROM health.inbox WHERE event_id = ANY($1)', [eventIds]);
      if (seen === eventIds.length) return;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error('events were not processed in time');
  };

  it('applies a redelivered event once: one referral, one decision', async () => {
    const person = personId();
    const events = [
      personRegistered(person),
      consentRecorded(person, ['health']),
      vulnerabilityScreened(person, { pregnant: true }),
    ];
    const values = events.map((e) => JSON.stringify(e));
    await send(values, person);
    // Kafka delivers at least once: the same events again, as after a producer retry or a rebalance.
    await send(values, person);
    await send([values[2]!], person);
    await waitForInbox(events.map((e) => e.id));
    // A later event on the same partition: once it is processed, so are the duplicates before it.
    const tail = personId();
    const marker = personRegistered(tail);
    await send([JSON.stringify(marker)], person);
    await waitForInbox([marker.id]);

    expect(await count('SELECT count(*)::int AS count FROM health.referrals WHERE person_id = $1', [person])).toBe(1);
    expect(
      await count("SELECT count(*)::int AS count FROM health.decisions WHERE person_id = $1 AND outcome = 'referred'", [
        person,
      ]),
    ).toBe(1);
    const [referral] = await dataSource.query(
      'SELECT type, priority, status, decision_inputs FROM health.referrals WHERE person_id = $1',
      [person],
    );
    expect(referral).toEqual({
      type: 'maternal-health',
      priority: 'urgent',
      status: 'requested',
      decision_inputs: { pregnant: true },
    });
  });

  it('skips a message that breaks its contract and goes on with the partition', async () => {
    const person = personId();
    const broken = {
      ...vulnerabilityScreened(person, { pregnant: true }),
      type: 'vulnerability.screened',
      data: { personId: person },
    };
    const good = [
      personRegistered(person, { ageYears: 2 }),
      consentRecorded(person, ['health'], { guardianPersonId: personId() }),
    ];
    await send(['not json at all', JSON.stringify(broken), ...good.map((e) => JSON.stringify(e))], person);
    await waitForInbox(good.map((e) => e.id));
    expect(await count('SELECT count(*)::int AS count FROM health.inbox WHERE event_id = $1', [broken.id])).toBe(0);
    const types = await dataSource.query('SELECT type FROM health.referrals WHERE person_id = $1', [person]);
    expect(types).toEqual([{ type: 'child-health' }]);
  });

  it("writes routing's changes on the referral's timeline, each with the version it produced", async () => {
    const person = personId();
    const events = [
      personRegistered(person),
      consentRecorded(person, ['health']),
      vulnerabilityScreened(person, { pregnant: true }),
      personTransferred(person, 'lajas-blancas', 'los-planes'),
      personDeparted(person),
    ];
    // Made, moved and cancelled, in one batch or several: the versions count every change either way.
    await send(
      events.map((e) => JSON.stringify(e)),
      person,
    );
    await waitForInbox(events.map((e) => e.id));
    const [referral] = await dataSource.query(
      `SELECT id, status, version, close_reason, closed_at IS NOT NULL AS closed FROM health.referrals
        WHERE person_id = $1`,
      [person],
    );
    expect(referral).toMatchObject({
      status: 'cancelled',
      close_reason: { code: 'person-departed', note: null },
      closed: true,
    });
    const timeline = await dataSource.query(
      'SELECT version, type, actor, data FROM health.referral_events WHERE referral_id = $1 ORDER BY id',
      [referral.id],
    );
    expect(timeline.map((e: { version: number; type: string }) => `${e.version} ${e.type}`)).toEqual([
      '1 referral.requested',
      '2 referral.reassigned',
      '3 referral.cancelled',
    ]);
    expect(referral.version).toBe(3);
    expect(new Set(timeline.map((e: { actor: string }) => e.actor))).toEqual(new Set(['system:health-routing']));
    expect(timeline[1].data).toEqual({
      fromServicePointId: 'health-lajas-blancas',
      servicePointId: 'health-los-planes',
      stationId: 'los-planes',
      reason: { code: 'person-transferred', note: null },
    });
  });

  it('keeps in the person view only what health rules read', async () => {
    const person = personId();
    const screening = vulnerabilityScreened(person, {
      pregnant: true,
      gbvRisk: true,
      traffickingIndicators: true,
      lgbtiqAtRisk: true,
    });
    await send([JSON.stringify(personRegistered(person)), JSON.stringify(screening)], person);
    await waitForInbox([screening.id]);
    const [{ view }] = await dataSource.query('SELECT view FROM health.person_view WHERE person_id = $1', [person]);
    expect(view.indicators.value).toEqual({ pregnant: true });
    expect(view.category).toBeUndefined();
  });
});
