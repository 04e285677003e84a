import 'reflect-metadata';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { getDataSourceToken } from '@nestjs/typeorm';
import type { Consumer, KafkaMessage } from 'kafkajs';
import { Topics } from '@ruta/contracts';
import { createServiceApp } from '@ruta/platform';
import { createTestEnvironment, personId, personRegistered, type TestEnvironment } from '@ruta/testing';
import type { DataSource } from 'typeorm';
import { AppModule } from '../src/app.module';

describe('intake gateway over HTTP, PostgreSQL and Kafka', () => {
  const published: KafkaMessage[] = [];
  let app: NestFastifyApplication;
  let dataSource: DataSource;
  let consumer: Consumer;
  let environment: TestEnvironment;

  beforeAll(async () => {
    environment = await createTestEnvironment('intake');
    const { kafka, namespace } = environment;
    app = await createServiceApp(AppModule, { bodyLimit: 64 * 1024 });
    await app.init();
    await app.getHttpAdapter().getInstance().ready();
    dataSource = app.get<DataSource>(getDataSourceToken());
    consumer = kafka.consumer({ groupId: `${namespace}reader`, maxWaitTimeInMs: 100 });
    await consumer.connect();
    await consumer.subscribe({ topic: namespace + Topics.intakeEvents, fromBeginning: true });
    await consumer.run({ eachMessage: async ({ message }) => void published.push(message) });
  });

  afterAll(async () => {
    await consumer?.disconnect();
    await app?.close();
    await environment?.teardown();
  });

  const post = (body: unknown) =>
    app.inject({
      method: 'POST',
      url: '/v1/intake/events',
      headers: { 'content-type': 'application/cloudevents+json' },
      payload: JSON.stringify(body),
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

    const deadline = Date.now() + 30_000;
    while (!published.some((m) => m.key?.toString() === person) && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 100));
    await new Promise((r) => setTimeout(r, 500));
    const mine = published.filter((m) => m.key?.toString() === person);
    expect(mine).toHaveLength(1);
    expect(JSON.parse(mine[0]!.value!.toString())).toEqual(event);
    expect(mine[0]!.headers?.ce_type?.toString()).toBe('person.registered');
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
      headers: { 'content-type': 'application/json' },
      payload: '{"specversion":',
    });
    expect(malformed.statusCode).toBe(400);
    expect(malformed.headers['content-type']).toContain('application/problem+json');
  });
});
