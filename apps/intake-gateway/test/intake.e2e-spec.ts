import 'reflect-metadata';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { getDataSourceToken } from '@nestjs/typeorm';
import type { Consumer, KafkaMessage } from 'kafkajs';
import { Topics } from '@ruta/contracts';
import { MessagingService } from '@ruta/messaging';
import { createServiceApp } from '@ruta/platform';
import {
  callers,
  consentRecorded,
  createTestEnvironment,
  personId,
  personRegistered,
  startTestIssuer,
  tokenFor,
  vulnerabilityScreened,
  type TestEnvironment,
  type TestIssuer,
} from '@ruta/testing';
import type { DataSource } from 'typeorm';
import { AppModule } from '../src/app.module';
import { intakeHttpOptions, intakeLimitsFromEnv } from '../src/intake/intake.constants';

describe('intake gateway over HTTP, PostgreSQL and Kafka', () => {
  const published: KafkaMessage[] = [];
  let app: NestFastifyApplication;
  let dataSource: DataSource;
  let consumer: Consumer;
  let environment: TestEnvironment;

  let issuer: TestIssuer;
  /** A border agent's Authorization header, for the whole file's run. */
  let agent: { authorization: string };

  beforeAll(async () => {
    // The app verifies tokens of this loopback issuer (RUTA_AUTH_ISSUER); it needs one to boot.
    issuer = await startTestIssuer();
    agent = { authorization: `Bearer ${await tokenFor(issuer, callers.borderAgent, 3600)}` };
    environment = await createTestEnvironment('intake');
    const { kafka, namespace } = environment;
    process.env.INTAKE_BATCH_MAX_EVENTS = '50';
    process.env.INTAKE_BODY_LIMIT = String(16 * 1024);
    process.env.INTAKE_BATCH_BODY_LIMIT = String(256 * 1024);
    app = await createServiceApp(AppModule, intakeHttpOptions(intakeLimitsFromEnv()));
    await app.init();
    await app.getHttpAdapter().getInstance().ready();
    // Messaging starts in the background: its topics exist and its groups consume once it settles.
    await app.get(MessagingService).started;
    dataSource = app.get<DataSource>(getDataSourceToken());
    consumer = kafka.consumer({ groupId: `${namespace}reader`, maxWaitTimeInMs: 100 });
    await consumer.connect();
    await consumer.subscribe({ topic: namespace + Topics.intakeEvents, fromBeginning: true });
    await consumer.run({ eachMessage: async ({ message }) => void published.push(message) });
  });

  afterAll(async () => {
    delete process.env.INTAKE_BATCH_MAX_EVENTS;
    delete process.env.INTAKE_BODY_LIMIT;
    delete process.env.INTAKE_BATCH_BODY_LIMIT;
    await consumer?.disconnect();
    await app?.close();
    await environment?.teardown();
    await issuer?.stop();
  });

  const post = (body: unknown) =>
    app.inject({
      method: 'POST',
      url: '/v1/intake/events',
      headers: { 'content-type': 'application/cloudevents+json', ...agent },
      payload: JSON.stringify(body),
    });

  const postBatch = (events: unknown[]) =>
    app.inject({
      method: 'POST',
      url: '/v1/intake/events:batch',
      headers: { 'content-type': 'application/json', ...agent },
      payload: JSON.stringify({ events }),
    });

  /** Polls `check` until it holds: a positive signal, never a pause. */
  const waitFor = async (check: () => boolean | Promise<boolean>, what: string) => {
    const deadline = Date.now() + 30_000;
    while (!(await check())) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  };

  /**
   * Everything published for `person` once `marker`, accepted after the events under test, is
   * published: one key keeps its order, so nothing of theirs can still be on its way.
   */
  const publishedUpTo = async (person: string, marker: { id: string }) => {
    const mine = () => published.filter((m) => m.key?.toString() === person);
    const ids = () => mine().map((m) => (JSON.parse(m.value!.toString()) as { id: string }).id);
    await waitFor(() => ids().includes(marker.id), `the marker event of ${person}`);
    return mine()
      .map((m) => ({ message: m, event: JSON.parse(m.value!.toString()) as { id: string } }))
      .filter(({ event }) => event.id !== marker.id);
  };

  /** As publishedUpTo, with a marker sent over HTTP after the person's HTTP events. */
  const publishedFor = async (person: string) => {
    const marker = consentRecorded(person, ['protection']);
    expect((await post(marker)).statusCode).toBe(202);
    return (await publishedUpTo(person, marker)).map(({ event }) => event);
  };

  /** Every message on `topic` up to its end offsets as of now. */
  const readToEnd = async (topic: string) => {
    const { kafka } = environment;
    const admin = kafka.admin();
    await admin.connect();
    const ends = await admin.fetchTopicOffsets(topic).finally(() => admin.disconnect());
    const messages: KafkaMessage[] = [];
    const seen = new Map<number, bigint>();
    const reader = kafka.consumer({ groupId: `${environment.namespace}reader-${Date.now()}`, maxWaitTimeInMs: 100 });
    await reader.connect();
    await reader.subscribe({ topic, fromBeginning: true });
    await reader.run({
      eachMessage: async ({ partition, message }) => {
        messages.push(message);
        seen.set(partition, BigInt(message.offset) + 1n);
      },
    });
    try {
      await waitFor(() => ends.every((e) => (seen.get(e.partition) ?? 0n) >= BigInt(e.high)), `the end of ${topic}`);
    } finally {
      await reader.disconnect();
    }
    return messages;
  };

  it('answers a batch per event: accepted, duplicate, rejected with its fields; the bad one sinks nothing', async () => {
    const person = personId();
    const registered = personRegistered(person);
    const screened = vulnerabilityScreened(person, { pregnant: true });
    const consent = consentRecorded(person, ['health']);
    const invalid = { ...personRegistered(personId()), data: { ...personRegistered(person).data, sex: '' } };
    const first = await postBatch([registered, invalid, screened]);
    expect(first.statusCode).toBe(200);
    expect(first.json()).toMatchObject({ accepted: 2, duplicate: 0, rejected: 1 });
    expect(first.json().results.map((r: { status: string }) => r.status)).toEqual(['accepted', 'rejected', 'accepted']);
    expect(first.json().results[1]).toMatchObject({ id: invalid.id, code: 'INTAKE.INVALID_EVENT' });
    expect(first.json().results[1].errors.map((e: { field: string }) => e.field)).toEqual(
      expect.arrayContaining(['data.sex', 'data.personId']),
    );

    const altered = { ...screened, data: { ...screened.data, indicators: { injury: true } } };
    const second = await postBatch([registered, consent, consent, altered]);
    expect(second.json().results.map((r: { status: string }) => r.status)).toEqual([
      'duplicate',
      'accepted',
      'duplicate',
      'rejected',
    ]);
    expect(second.json().results[3]).toMatchObject({ code: 'INTAKE.ID_CONFLICT', errors: [{ field: 'id' }] });

    // Published once each, keyed by person, in the order accepted.
    const events = await publishedFor(person);
    expect(events.map((e) => e.id)).toEqual([registered.id, screened.id, consent.id]);
  });

  it('publishes what a sender left out (time, data time) filled in, with the sequence, and refuses a sent one', async () => {
    const person = personId();
    const { time: _, ...untimed } = personRegistered(person);
    const link = {
      ...untimed,
      type: 'household.linked',
      data: { householdId: 'H-7', members: [{ personId: person, relationship: 'abuela' }], headPersonId: person },
    };
    expect((await post(link)).statusCode).toBe(202);
    expect((await post(link)).statusCode).toBe(200); // the same submission again: a duplicate
    const sent = await post({ ...consentRecorded(person, ['health']), sequence: '00000000000000000001' });
    expect(sent.statusCode).toBe(400);
    expect(sent.json().errors.map((e: { field: string }) => e.field)).toEqual(['sequence']);
    const [published] = (await publishedFor(person)) as unknown as {
      time: string;
      sequence: string;
      data: { linkedAt: string; members: unknown[] };
    }[];
    const [{ accepted_at }] = await dataSource.query('SELECT accepted_at FROM intake.events WHERE event_id = $1', [
      link.id,
    ]);
    expect(published).toMatchObject({ time: accepted_at.toISOString(), sequence: expect.stringMatching(/^\d{20}$/) });
    expect(published!.data).toEqual({ ...link.data, linkedAt: published!.time });
  });

  it('refuses a batch over the count limit (413) and one that is not a list of events (400)', async () => {
    const tooMany = Array.from({ length: 51 }, () => personRegistered(personId()));
    const over = await postBatch(tooMany);
    expect(over.statusCode).toBe(413);
    expect(over.json().errors).toEqual([{ field: 'events', messages: ['at most 50 events per batch'] }]);
    const notAList = await app.inject({
      method: 'POST',
      url: '/v1/intake/events:batch',
      headers: { 'content-type': 'application/json', ...agent },
      payload: JSON.stringify({ event: [] }),
    });
    expect(notAList.statusCode).toBe(400);
    expect(notAList.json().errors.map((e: { field: string }) => e.field)).toEqual(['events', '(unknown field)']);
    const [{ count }] = await dataSource.query(
      'SELECT count(*)::int AS count FROM intake.events WHERE event_id = ANY($1::text[])',
      [tooMany.map((e) => e.id)],
    );
    expect(count).toBe(0);
  });

  it('takes a batch body larger than the single-event limit, up to the batch limit', async () => {
    const batch = Array.from({ length: 50 }, () =>
      personRegistered(personId(), { languages: ['es', 'en', 'ht', 'pt'] }),
    );
    const body = JSON.stringify({ events: batch });
    expect(body.length).toBeGreaterThan(16 * 1024);
    const ok = await postBatch(batch);
    expect(ok.statusCode).toBe(200);
    expect(ok.json().accepted).toBe(50);
    const padded = await app.inject({
      method: 'POST',
      url: '/v1/intake/events:batch',
      headers: { 'content-type': 'application/json', ...agent },
      payload: JSON.stringify({ events: batch, padding: 'x'.repeat(300 * 1024) }),
    });
    expect(padded.statusCode).toBe(413);
  });

  it('takes events from intake.submissions.v1 the same way, and dead-letters the rejected ones', async () => {
    const { kafka, namespace } = environment;
    const person = personId();
    const good = personRegistered(person);
    const bad = { ...vulnerabilityScreened(person, { injury: true }), subject: 'x' };
    // Same key, same send: the marker is consumed after the others, on the same partition.
    const marker = consentRecorded(person, ['protection']);
    const producer = kafka.producer();
    await producer.connect();
    await producer.send({
      topic: namespace + Topics.intakeSubmissions,
      messages: [bad, good, good, marker].map((e) => ({ key: person, value: JSON.stringify(e) })),
    });
    await producer.disconnect();
    const events = await publishedUpTo(person, marker);
    expect(events.map(({ event }) => event.id)).toEqual([good.id]);
    const stored = await dataSource.query('SELECT event_id FROM intake.events WHERE subject = $1', [person]);
    expect(stored.map((r: { event_id: string }) => r.event_id).sort()).toEqual([good.id, marker.id].sort());

    // The marker's batch committed with any dead letter before it; once the relay has sent the
    // outbox, the dead-letter topic up to its end holds every letter there will be.
    await waitFor(
      async () => (await dataSource.query('SELECT count(*)::int AS n FROM intake.outbox'))[0].n === 0,
      'the relay to empty the outbox',
    );
    const letters = await readToEnd(`${namespace}${Topics.intakeSubmissions}.dlq`);
    expect(letters).toHaveLength(1);
    const record = JSON.parse(letters[0]!.value!.toString());
    expect(record).toMatchObject({
      sourceTopic: namespace + Topics.intakeSubmissions,
      group: 'intake-gateway-submissions',
      errorCode: 'MESSAGE.INVALID',
    });
    expect(record.fields).toEqual(expect.arrayContaining(['subject']));
    expect(letters[0]!.value!.toString()).not.toContain(person);
  });

  it('stores direct identifiers encrypted, apart from the event, and never publishes them', async () => {
    const person = personId();
    const event = personRegistered(person);
    const identifiers = {
      fullName: 'Yusleidy Carolina Márquez',
      documentType: 'passport',
      documentNumber: 'V28391034',
    };
    const submitted = { ...event, data: { ...event.data, identifiers } };
    const answer = await post(submitted);
    expect(answer.statusCode).toBe(202);

    const [stored] = await dataSource.query('SELECT payload FROM intake.events WHERE event_id = $1', [event.id]);
    expect(stored.payload).toEqual(event);
    const [sealed] = await dataSource.query(
      'SELECT person_id, key_id, ciphertext FROM intake.direct_identifiers WHERE event_id = $1',
      [event.id],
    );
    expect(sealed.person_id).toBe(person);
    expect(sealed.ciphertext.toString('latin1')).not.toContain('V28391034');
    expect(sealed.ciphertext.toString('utf8')).not.toContain('Márquez');

    const published = await publishedFor(person);
    expect(published).toEqual([{ ...event, sequence: expect.stringMatching(/^\d{20}$/) }]);
    expect(JSON.stringify(published)).not.toContain('V28391034');
    // The same submission again is a duplicate, and stores nothing twice.
    expect((await post(submitted)).statusCode).toBe(200);
    const [{ count }] = await dataSource.query(
      'SELECT count(*)::int AS count FROM intake.direct_identifiers WHERE person_id = $1',
      [person],
    );
    expect(count).toBe(1);
  });

  it('refuses identifiers on events other than a registration, naming the field', async () => {
    const person = personId();
    const screened = vulnerabilityScreened(person, { injury: true });
    const answer = await post({ ...screened, data: { ...screened.data, identifiers: { fullName: 'Ana' } } });
    expect(answer.statusCode).toBe(400);
    expect(answer.json().errors.map((e: { field: string }) => e.field)).toEqual(['data.identifiers']);
    expect(answer.body).not.toContain('Ana');
  });

  it('stores an event sent many times at once exactly once, and publishes it once keyed by person id', async () => {
    const person = personId();
    const event = personRegistered(person);
    const answers = await Promise.all(Array.from({ length: 20 }, () => post(event)));
    const statuses = answers.map((a) => a.statusCode).sort();
    expect(statuses).toEqual([...Array(19).fill(200), 202]);
    expect(answers.map((a) => a.json().status).filter((s) => s === 'accepted')).toHaveLength(1);

    const [{ count }] = await dataSource.query('SELECT count(*)::int AS count FROM intake.events WHERE event_id = $1', [
      event.id,
    ]);
    expect(count).toBe(1);

    const marker = consentRecorded(person, ['protection']);
    expect((await post(marker)).statusCode).toBe(202);
    const mine = await publishedUpTo(person, marker);
    expect(mine.map(({ event }) => event)).toEqual([{ ...event, sequence: expect.stringMatching(/^\d{20}$/) }]);
    expect(mine[0]!.message.headers?.ce_type?.toString()).toBe('person.registered');
  });

  it('refuses the same id with different content (409) and keeps the first', async () => {
    const person = personId();
    const event = personRegistered(person);
    expect((await post(event)).statusCode).toBe(202);
    const altered = { ...event, data: { ...event.data, ageYears: 31 } };
    const answer = await post(altered);
    expect(answer.statusCode).toBe(409);
    expect(answer.headers['content-type']).toContain('application/problem+json');
    const [{ payload }] = await dataSource.query('SELECT payload FROM intake.events WHERE event_id = $1', [event.id]);
    expect(payload.data.ageYears).toBe(29);
  });

  it('answers 413 for a body over the limit and 400 for malformed JSON', async () => {
    const huge = { ...personRegistered(personId()), padding: 'x'.repeat(70 * 1024) };
    expect((await post(huge)).statusCode).toBe(413);
    const malformed = await app.inject({
      method: 'POST',
      url: '/v1/intake/events',
      headers: { 'content-type': 'application/json', ...agent },
      payload: '{"specversion":',
    });
    expect(malformed.statusCode).toBe(400);
    expect(malformed.headers['content-type']).toContain('application/problem+json');
  });
});
