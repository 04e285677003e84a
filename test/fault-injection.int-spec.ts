import 'reflect-metadata';
import { Topics, type CloudEvent } from '@ruta/contracts';
import { deadLetterTopic, redriveDeadLetters, REDRIVE_FOR_HEADER, type DeadLetterRecord } from '@ruta/messaging';
import {
  canRestartBroker,
  consentRecorded,
  createTestEnvironment,
  personId,
  personRegistered,
  restartBroker,
  startBroker,
  stopBroker,
  startServiceProcess,
  vulnerabilityScreened,
  type ServiceProcess,
  type TestEnvironment,
} from '@ruta/testing';
import { Partitioners, type Consumer, type KafkaMessage, type Producer } from 'kafkajs';
import { Client } from 'pg';
import { eventually } from './http';

/**
 * Fault injection against the real broker and PostgreSQL, with the services as their own
 * processes (killed with SIGKILL where a test says crash). Every person here produces three
 * intake events and, in the health service, exactly one referral and two decisions in this order:
 * deferred (screened, injury, no consent yet), then referred (consent). A person whose events were
 * applied out of order would show one decision, so the decisions prove per-person order.
 */
describe('fault injection: nothing lost, nothing doubled, order kept', () => {
  let environment: TestEnvironment;
  let db: Client;
  let producer: Producer;
  const running: ServiceProcess[] = [];
  const baseNamespace = () => environment.namespace;

  beforeAll(async () => {
    environment = await createTestEnvironment('faults');
    db = new Client({ connectionString: environment.databaseUrl });
    await db.connect();
    producer = environment.kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
    await producer.connect();
  });

  afterEach(async () => {
    await Promise.all(running.splice(0).map((s) => s.kill()));
    process.env.RUTA_KAFKA_NAMESPACE = baseNamespace();
  });

  afterAll(async () => {
    await producer?.disconnect();
    await db?.end();
    await environment?.teardown();
  });

  /** Each test gets its own topics and groups, so offsets and counts are its own. */
  const useNamespace = (name: string) => (process.env.RUTA_KAFKA_NAMESPACE = `${baseNamespace()}${name}.`);
  const start = async (app: string) => {
    const service = await startServiceProcess(app);
    running.push(service);
    return service;
  };
  const stopped = (service: ServiceProcess, signal?: NodeJS.Signals) => {
    running.splice(running.indexOf(service), 1);
    return service.kill(signal);
  };

  const eventsOf = (person: string): CloudEvent[] => [
    personRegistered(person),
    vulnerabilityScreened(person, { injury: true }),
    consentRecorded(person, ['health']),
  ];
  const people = (n: number) => Array.from({ length: n }, () => personId());

  const postBatch = async (gateway: ServiceProcess, events: CloudEvent[]) => {
    const response = await fetch(`${gateway.url}/v1/intake/events:batch`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ events }),
    });
    expect(response.status).toBe(200);
    const body = (await response.json()) as { results: { id: string; status: string }[] };
    return body.results.filter((r) => r.status === 'accepted').map((r) => r.id);
  };

  const produce = async (events: CloudEvent[]) =>
    producer.send({
      topic: process.env.RUTA_KAFKA_NAMESPACE + Topics.intakeEvents,
      acks: -1,
      messages: events.map((e) => ({ key: e.subject, value: JSON.stringify(e) })),
    });

  const count = async (sql: string, params: unknown[]): Promise<number> =>
    (await db.query<{ n: number }>(sql, params)).rows[0]!.n;
  const healthInbox = (ids: string[]) =>
    count('SELECT count(*)::int AS n FROM health.inbox WHERE event_id = ANY($1::text[])', [ids]);

  /** Batches the service rolled back and retried, from its metrics. */
  const retriesOf = async (service: ServiceProcess) => {
    const metrics = await (await fetch(`${service.url}/metrics`)).text();
    return metrics
      .split('\n')
      .filter((line) => line.startsWith('ruta_consumer_batch_retries_total{'))
      .reduce((sum, line) => sum + Number(line.split(' ').pop()), 0);
  };

  /** Waits until the health service applied every one of `ids`, then checks the effects per person. */
  const expectAppliedOnce = async (persons: string[], ids: string[]) => {
    await eventually(
      async () => ((await healthInbox(ids)) === ids.length ? true : undefined),
      `health to apply ${ids.length} events`,
      120_000,
    );
    expect(await healthInbox(ids)).toBe(ids.length);
    const referrals = await db.query<{ person_id: string; n: number }>(
      `SELECT person_id, count(*)::int AS n FROM health.referrals WHERE person_id = ANY($1::text[]) GROUP BY person_id`,
      [persons],
    );
    expect(referrals.rows).toHaveLength(persons.length);
    expect(referrals.rows.every((r) => r.n === 1)).toBe(true);
    const decisions = await db.query<{ person_id: string; outcomes: string[] }>(
      `SELECT person_id, array_agg(outcome ORDER BY id) AS outcomes FROM health.decisions
       WHERE person_id = ANY($1::text[]) GROUP BY person_id`,
      [persons],
    );
    expect(decisions.rows).toHaveLength(persons.length);
    for (const row of decisions.rows) expect(row.outcomes).toEqual(['deferred', 'referred']);
  };

  const readTopic = async (topic: string, until: (messages: KafkaMessage[]) => boolean) => {
    const messages: KafkaMessage[] = [];
    const consumer: Consumer = environment.kafka.consumer({
      groupId: `${process.env.RUTA_KAFKA_NAMESPACE}reader-${Date.now()}`,
      maxWaitTimeInMs: 100,
    });
    await consumer.connect();
    await consumer.subscribe({ topic: process.env.RUTA_KAFKA_NAMESPACE + topic, fromBeginning: true });
    await consumer.run({ eachMessage: async ({ message }) => void messages.push(message) });
    try {
      await eventually(async () => (until(messages) ? true : undefined), `messages on ${topic}`, 60_000);
      return messages;
    } finally {
      await consumer.disconnect();
    }
  };

  const itWithBrokerRestart = canRestartBroker() ? it : it.skip;

  itWithBrokerRestart(
    'an event committed by the gateway but not yet published when it crashed is published after restart',
    async () => {
      useNamespace('crash');
      const gateway = await start('intake-gateway');
      await start('health-service');
      const persons = people(20);
      // Broker down: the gateway still accepts (the events are safe in PostgreSQL), publishing waits.
      await stopBroker();
      const accepted = await postBatch(gateway, persons.flatMap(eventsOf));
      expect(accepted).toHaveLength(60);
      expect(await count('SELECT count(*)::int AS n FROM intake.outbox WHERE key = ANY($1::text[])', [persons])).toBe(
        60,
      );
      await stopped(gateway); // SIGKILL: committed, never published
      await startBroker();
      await start('intake-gateway'); // a fresh process publishes what the dead one left
      await expectAppliedOnce(persons, accepted);
      expect(await count('SELECT count(*)::int AS n FROM intake.outbox', [])).toBe(0);
    },
  );

  it('a duplicated delivery changes nothing: each event applied once', async () => {
    useNamespace('dup');
    await start('health-service');
    const persons = people(10);
    const events = persons.flatMap(eventsOf);
    await produce(events);
    await produce(events); // the whole stream again, as after a producer retry or a replay
    await produce([events[0]!, events[0]!]);
    await expectAppliedOnce(
      persons,
      events.map((e) => e.id),
    );
  });

  itWithBrokerRestart('a broker restart mid-stream loses nothing', async () => {
    useNamespace('restart');
    const gateway = await start('intake-gateway');
    await start('health-service');
    const persons = people(60);
    const accepted: string[] = [];
    const batches = Array.from({ length: 6 }, (_, i) => persons.slice(i * 10, i * 10 + 10));
    for (const [i, batch] of batches.entries()) {
      if (i === 3) await restartBroker();
      accepted.push(...(await postBatch(gateway, batch.flatMap(eventsOf))));
    }
    expect(accepted).toHaveLength(180);
    await expectAppliedOnce(persons, accepted);
  });

  it('a consumer killed mid-stream, then stopped with SIGTERM, loses and doubles nothing', async () => {
    useNamespace('kill');
    let health = await start('health-service');
    const persons = people(1500);
    const events = persons.flatMap(eventsOf);
    await produce(events);
    const ids = events.map((e) => e.id);
    // Kill it hard once it is partway through.
    await eventually(async () => ((await healthInbox(ids)) > 0 ? true : undefined), 'health to start applying');
    await stopped(health, 'SIGKILL');
    const afterKill = await healthInbox(ids);
    expect(afterKill).toBeLessThan(ids.length);
    health = await start('health-service');
    // Then stop it gracefully partway: it finishes its batch, commits, and leaves the group.
    await eventually(async () => ((await healthInbox(ids)) > afterKill ? true : undefined), 'more progress');
    await stopped(health, 'SIGTERM');
    const applied = await healthInbox(ids);
    const admin = environment.kafka.admin();
    await admin.connect();
    const [offsets] = await admin.fetchOffsets({
      groupId: `${process.env.RUTA_KAFKA_NAMESPACE}health-service`,
      topics: [process.env.RUTA_KAFKA_NAMESPACE + Topics.intakeEvents],
    });
    await admin.disconnect();
    // Every applied event is committed and nothing beyond it: the last batch finished before exit.
    const committed = offsets!.partitions.reduce((sum, p) => sum + Math.max(Number(p.offset), 0), 0);
    expect(committed).toBe(applied);
    await start('health-service');
    await expectAppliedOnce(persons, ids);
  });

  it('a database outage mid-stream is retried with backoff: nothing lost, order kept', async () => {
    useNamespace('dbdown');
    const health = await start('health-service');
    const persons = people(100);
    const [firstHalf, secondHalf] = [persons.slice(0, 50), persons.slice(50)];
    const before = firstHalf.flatMap(eventsOf);
    const during = secondHalf.flatMap(eventsOf);
    await produce(before);
    await expectAppliedOnce(
      firstHalf,
      before.map((e) => e.id),
    );
    const url = new URL(environment.databaseUrl);
    const database = url.pathname.slice(1);
    url.pathname = '/postgres';
    const admin = new Client({ connectionString: url.toString() });
    await admin.connect();
    // The outage: no new connection to this database, and the service's sessions cut.
    await admin.query(`ALTER DATABASE "${database}" ALLOW_CONNECTIONS false`);
    try {
      await admin.query(
        `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND application_name = 'health-service'`,
        [database],
      );
      await produce(during);
      await eventually(
        async () => ((await retriesOf(health)) > 0 ? true : undefined),
        'the consumer to meet the outage and retry',
      );
      expect(await healthInbox(during.map((e) => e.id))).toBe(0);
    } finally {
      await admin.query(`ALTER DATABASE "${database}" ALLOW_CONNECTIONS true`);
      await admin.end();
    }
    await expectAppliedOnce(
      secondHalf,
      during.map((e) => e.id),
    );
  });

  it('a poison message is dead-lettered without its content, the rest flows, and the redrive moves it once', async () => {
    useNamespace('poison');
    const health = await start('health-service');
    const persons = people(5);
    const events = persons.flatMap(eventsOf);
    const invalid = { ...vulnerabilityScreened(persons[0]!, { injury: true }), data: { personId: persons[0]! } };
    await producer.send({
      topic: process.env.RUTA_KAFKA_NAMESPACE + Topics.intakeEvents,
      acks: -1,
      messages: [
        { key: persons[0]!, value: 'not json {' },
        { key: persons[0]!, value: JSON.stringify(invalid) },
      ],
    });
    await produce(events);
    await expectAppliedOnce(
      persons,
      events.map((e) => e.id),
    );

    const letters = await readTopic(deadLetterTopic(Topics.intakeEvents), (m) => m.length >= 2);
    expect(letters).toHaveLength(2);
    const records = letters.map((m) => JSON.parse(m.value!.toString()) as DeadLetterRecord);
    expect(records.map((r) => r.errorCode).sort()).toEqual(['MESSAGE.INVALID', 'MESSAGE.UNPARSEABLE']);
    expect(records.every((r) => r.group === 'health-service' && r.sourceTopic === Topics.intakeEvents)).toBe(true);
    expect(letters[0]!.headers!['ruta-dlq-source-offset']).toBeDefined();
    for (const m of letters) expect(m.value!.toString()).not.toContain(persons[0]!);

    const pending = await fetch(`${health.url}/v1/admin/dead-letters?topic=${Topics.intakeEvents}`);
    expect(await pending.json()).toEqual({ topic: Topics.intakeEvents, pending: 2 });
    await stopped(health, 'SIGTERM');

    const namespace = process.env.RUTA_KAFKA_NAMESPACE!;
    const first = await redriveDeadLetters(environment.kafka, { topic: Topics.intakeEvents, namespace });
    expect(first).toMatchObject({ examined: 2, moved: 2, missing: 0 });
    const again = await redriveDeadLetters(environment.kafka, { topic: Topics.intakeEvents, namespace });
    expect(again).toMatchObject({ examined: 0, moved: 0 });
    const copies = (await readTopic(Topics.intakeEvents, (m) => m.length >= events.length + 4)).filter(
      (m) => m.headers?.[REDRIVE_FOR_HEADER] !== undefined,
    );
    expect(copies.map((m) => m.value!.toString()).sort()).toEqual([JSON.stringify(invalid), 'not json {'].sort());
    expect(copies.every((m) => m.headers![REDRIVE_FOR_HEADER]!.toString() === 'health-service')).toBe(true);

    // Back up, the service fails them again (they are still invalid): two new dead letters, and
    // the admin endpoint redrives exactly those.
    const restarted = await start('health-service');
    await readTopic(deadLetterTopic(Topics.intakeEvents), (m) => m.length >= 4);
    const redrive = await fetch(`${restarted.url}/v1/admin/dead-letters/redrive`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ topic: Topics.intakeEvents }),
    });
    expect(redrive.status).toBe(200);
    expect(await redrive.json()).toMatchObject({ examined: 2, moved: 2, missing: 0 });
    expect(await healthInbox(events.map((e) => e.id))).toBe(events.length);
  });
});
