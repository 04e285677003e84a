import 'reflect-metadata';
import { generateKeyPairSync } from 'node:crypto';
import { Topics, type CloudEvent } from '@ruta/contracts';
import { deadLetterTopic, redriveDeadLetters, REDRIVE_FOR_HEADER, type DeadLetterRecord } from '@ruta/messaging';
import {
  authHeader,
  callers,
  canRestartBroker,
  consentRecorded,
  createTestDatabase,
  createTestEnvironment,
  personId,
  personRegistered,
  restartBroker,
  startBroker,
  startServiceProcess,
  startTestIssuer,
  stopBroker,
  vulnerabilityScreened,
  type ServiceProcess,
  type TestEnvironment,
  type TestIssuer,
} from '@ruta/testing';
import { Partitioners, type Consumer, type KafkaMessage, type Producer } from 'kafkajs';
import { Client } from 'pg';
import { verifyLog } from '../apps/audit-service/src/audit-log/log/log-verifier';
import { eventually } from './http';
import { SectorEffects, SECTORS, type ExpectedEffects } from './sector-effects';

/** Every person's three events leave one referral and two decisions (deferred, then referred) per sector. */
const EXPECTED: ExpectedEffects = {
  health: { referrals: ['medical-care'], decisions: ['medical-care:deferred', 'medical-care:referred'] },
  'social-development': { referrals: ['shelter'], decisions: ['shelter:deferred', 'shelter:referred'] },
  protection: {
    referrals: ['gbv-case-management'],
    decisions: ['gbv-case-management:deferred', 'gbv-case-management:referred'],
  },
};
/** Who this spec's redrives are recorded as in the audit log. */
const OPERATOR = { actor: 'test-operator', channel: 'cli' as const };
const CONSUMERS = [...SECTORS.map((s) => `${s}-service`), 'audit-service'];

/**
 * Fault injection against the real broker and PostgreSQL, with the services as their own
 * processes (killed with SIGKILL where a test says crash). Every person here produces three
 * intake events, and every sector consumes them: screened with injury, needsShelter and gbvRisk
 * before any consent, each sector defers its rule, then refers on the consent for all three. A
 * person whose events were applied out of order would show one decision, so the decisions prove
 * per-person order. The audit log must hold each intake event once, in order, and each referral
 * event once.
 */
describe('fault injection: nothing lost, nothing doubled, order kept, in every sector and the audit log', () => {
  let environment: TestEnvironment;
  let producer: Producer;
  // The scenario's own database, a client of it, and the counts over it.
  let database: { url: string; drop: () => Promise<void> } | undefined;
  let db: Client;
  let effects: SectorEffects;
  const running: ServiceProcess[] = [];
  const baseNamespace = () => environment.namespace;

  let issuer: TestIssuer;

  beforeAll(async () => {
    // The services (child processes) verify tokens of this loopback issuer: RUTA_AUTH_ISSUER is inherited.
    issuer = await startTestIssuer();
    environment = await createTestEnvironment('faults');
    producer = environment.kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
    await producer.connect();
  });

  afterEach(async () => {
    await Promise.all(running.splice(0).map((s) => s.kill()));
    process.env.RUTA_KAFKA_NAMESPACE = baseNamespace();
    process.env.DATABASE_URL = environment.databaseUrl;
    await db?.end().catch(() => undefined);
    await database?.drop();
    database = undefined;
  });

  afterAll(async () => {
    await producer?.disconnect();
    await environment?.teardown();
    await issuer?.stop();
  });

  /**
   * Each test gets its own topics, groups and database, so offsets, inboxes, outboxes and the
   * audit log (keyed by topic, partition and offset) are its own.
   */
  const useNamespace = async (name: string) => {
    process.env.RUTA_KAFKA_NAMESPACE = `${baseNamespace()}${name}.`;
    database = await createTestDatabase(`faults-${name}`);
    process.env.DATABASE_URL = database.url;
    db = new Client({ connectionString: database.url });
    await db.connect();
    effects = new SectorEffects(db, environment.kafka, () => process.env.RUTA_KAFKA_NAMESPACE!);
  };
  const start = async (app: string) => {
    const service = await startServiceProcess(app);
    running.push(service);
    return service;
  };
  /** The three sector services and the audit service, started together. */
  const startConsumers = () => Promise.all(CONSUMERS.map(start));
  const stopped = (service: ServiceProcess, signal?: NodeJS.Signals) => {
    running.splice(running.indexOf(service), 1);
    return service.kill(signal);
  };

  const eventsOf = (person: string): CloudEvent[] => [
    personRegistered(person),
    vulnerabilityScreened(person, { injury: true, needsShelter: true, gbvRisk: true }),
    consentRecorded(person, ['health', 'social-development', 'protection']),
  ];
  const people = (n: number) => Array.from({ length: n }, () => personId());

  /** Posts `events`; answers the ones accepted, in order. */
  const postBatch = async (gateway: ServiceProcess, events: CloudEvent[]) => {
    const response = await fetch(`${gateway.url}/v1/intake/events:batch`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(await authHeader(issuer, callers.borderAgent)) },
      body: JSON.stringify({ events }),
    });
    expect(response.status).toBe(200);
    const body = (await response.json()) as { results: { id: string; status: string }[] };
    const accepted = new Set(body.results.filter((r) => r.status === 'accepted').map((r) => r.id));
    return events.filter((e) => accepted.has(e.id));
  };

  const produce = async (events: CloudEvent[]) =>
    producer.send({
      topic: process.env.RUTA_KAFKA_NAMESPACE + Topics.intakeEvents,
      acks: -1,
      messages: events.map((e) => ({ key: e.subject, value: JSON.stringify(e) })),
    });

  const count = async (sql: string, params: unknown[]): Promise<number> =>
    (await db.query<{ n: number }>(sql, params)).rows[0]!.n;
  const healthInbox = (ids: string[]) => effects.inbox('health', ids);

  /** Batches the service rolled back and retried, from its metrics. */
  const retriesOf = async (service: ServiceProcess) => {
    const metrics = await (await fetch(`${service.url}/metrics`)).text();
    return metrics
      .split('\n')
      .filter((line) => line.startsWith('ruta_consumer_batch_retries_total{'))
      .reduce((sum, line) => sum + Number(line.split(' ').pop()), 0);
  };

  /** Waits until everything settled (lag 0 everywhere), then checks every sector and the audit log. */
  const expectAppliedOnce = async (events: CloudEvent[]) => {
    await effects.settled(events);
    await effects.expectOnce(events, EXPECTED);
  };

  /** Every message on `topic` up to its end offsets as of now. */
  const readToEnd = async (topic: string) => {
    const physical = process.env.RUTA_KAFKA_NAMESPACE + topic;
    const admin = environment.kafka.admin();
    await admin.connect();
    const ends = await admin.fetchTopicOffsets(physical).finally(() => admin.disconnect());
    const messages: KafkaMessage[] = [];
    const next = new Map<number, number>();
    const consumer: Consumer = environment.kafka.consumer({
      groupId: `${process.env.RUTA_KAFKA_NAMESPACE}reader-${Date.now()}`,
      maxWaitTimeInMs: 100,
    });
    await consumer.connect();
    await consumer.subscribe({ topic: physical, fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ partition, message }) => {
        if (Number(message.offset) >= Number(ends.find((e) => e.partition === partition)!.high)) return;
        messages.push(message);
        next.set(partition, Number(message.offset) + 1);
      },
    });
    try {
      const done = () => ends.every((e) => (next.get(e.partition) ?? 0) >= Number(e.high));
      await eventually(async () => (done() ? true : undefined), `the end of ${topic}`, 60_000);
      return messages;
    } finally {
      await consumer.disconnect();
    }
  };

  /** Waits until every consumer's outbox is empty: what they queued (dead letters too) is on Kafka. */
  const outboxesSent = () =>
    eventually(async () => {
      const schemas = ['health', 'social_development', 'protection', 'audit'];
      // One client runs one query at a time (pg deprecates queuing a second while one runs).
      const counts: number[] = [];
      for (const s of schemas) counts.push(await count(`SELECT count(*)::int AS n FROM "${s}".outbox`, []));
      return counts.every((n) => n === 0) ? true : undefined;
    }, 'every outbox to be sent');

  const itWithBrokerRestart = canRestartBroker() ? it : it.skip;

  itWithBrokerRestart(
    'an event committed by the gateway but not yet published when it crashed is published after restart',
    async () => {
      await useNamespace('crash');
      const gateway = await start('intake-gateway');
      await startConsumers();
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
      await expectAppliedOnce(accepted);
      expect(await count('SELECT count(*)::int AS n FROM intake.outbox', [])).toBe(0);
    },
  );

  it('a duplicated delivery changes nothing: each event applied once, and audited once', async () => {
    await useNamespace('dup');
    await startConsumers();
    const persons = people(10);
    const events = persons.flatMap(eventsOf);
    await produce(events);
    await produce(events); // the whole stream again, as after a producer retry or a replay
    await produce([events[0]!, events[0]!]);
    await expectAppliedOnce(events);
  });

  itWithBrokerRestart('a broker restart mid-stream loses nothing', async () => {
    await useNamespace('restart');
    const gateway = await start('intake-gateway');
    await startConsumers();
    const persons = people(60);
    const accepted: CloudEvent[] = [];
    const batches = Array.from({ length: 6 }, (_, i) => persons.slice(i * 10, i * 10 + 10));
    for (const [i, batch] of batches.entries()) {
      if (i === 3) await restartBroker();
      accepted.push(...(await postBatch(gateway, batch.flatMap(eventsOf))));
    }
    expect(accepted).toHaveLength(180);
    await expectAppliedOnce(accepted);
  });

  it('a consumer killed with SIGKILL mid-batch (broker up), then stopped with SIGTERM, loses and doubles nothing', async () => {
    await useNamespace('kill');
    let [health] = await startConsumers();
    const persons = people(1000);
    const events = persons.flatMap(eventsOf);
    const ids = events.map((e) => e.id);
    // Holding health's decisions table stops its first batch that decides mid-transaction: inbox,
    // views and referrals written, decisions and outbox not yet, nothing committed.
    const locker = new Client({ connectionString: database!.url });
    await locker.connect();
    let inFlight: { pid: number; xid: string };
    try {
      await locker.query('BEGIN');
      await locker.query('LOCK TABLE health.decisions IN EXCLUSIVE MODE');
      await produce(events);
      inFlight = await eventually(
        async () =>
          (
            await db.query<{ pid: number; xid: string }>(
              `SELECT pid, backend_xid::text AS xid FROM pg_stat_activity WHERE datname = current_database()
               AND application_name = 'health-service' AND wait_event_type = 'Lock' AND backend_xid IS NOT NULL`,
            )
          ).rows[0],
        'a health batch to wait mid-transaction',
      );
      await stopped(health!, 'SIGKILL');
    } finally {
      await locker.query('ROLLBACK');
      await locker.end();
    }
    // Its sessions end with it, and the batch in flight was rolled back, never committed.
    await eventually(
      async () =>
        (await count(
          `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'health-service'`,
          [],
        )) === 0
          ? true
          : undefined,
      'the killed service to leave PostgreSQL',
    );
    const status = await db.query<{ status: string }>(
      `SELECT pg_xact_status(((pg_current_xact_id()::text::bigint >> 32 << 32) | $1::bigint)::text::xid8) AS status`,
      [inFlight.xid],
    );
    expect(status.rows[0]!.status).toBe('aborted');
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
    await expectAppliedOnce(events);
  });

  it('the audit service killed with SIGKILL mid-append leaves no gap, no double and a log that verifies', async () => {
    await useNamespace('audit-kill');
    process.env.RUTA_AUDIT_CHECKPOINT_ENTRIES = '100';
    const { privateKey, publicKey } = generateKeyPairSync('ed25519');
    process.env.RUTA_AUDIT_SIGNING_KEY = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    try {
      let audit = await start('audit-service');
      const events = people(300).flatMap(eventsOf);
      // Holding the Merkle nodes table stops an append after its log rows are written, before commit.
      const locker = new Client({ connectionString: database!.url });
      await locker.connect();
      try {
        await locker.query('BEGIN');
        await locker.query('LOCK TABLE audit.merkle_nodes IN EXCLUSIVE MODE');
        await produce(events);
        await eventually(
          async () =>
            (await count(
              `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database()
                AND application_name = 'audit-service' AND wait_event_type = 'Lock' AND backend_xid IS NOT NULL`,
              [],
            )) > 0
              ? true
              : undefined,
          'an audit append to wait mid-transaction',
        );
        await stopped(audit, 'SIGKILL');
      } finally {
        await locker.query('ROLLBACK');
        await locker.end();
      }
      audit = await start('audit-service');
      await eventually(
        async () => ((await effects.audited(events.map((e) => e.id))) === events.length ? true : undefined),
        'every event logged after the restart',
      );
      await stopped(audit, 'SIGTERM');
      const [positions] = (
        await db.query<{ n: number; max: number; distinct: number }>(
          `SELECT count(*)::int AS n, max(position)::int AS max, count(DISTINCT event_id)::int AS distinct FROM audit.log`,
        )
      ).rows;
      expect(positions).toEqual({ n: events.length, max: events.length - 1, distinct: events.length });
      const report = await verifyLog(async (sql, params) => (await db.query(sql, params)).rows, publicKey);
      expect(report).toMatchObject({ ok: true, entries: events.length });
      expect(report.checkpoints).toBeGreaterThan(0);
    } finally {
      delete process.env.RUTA_AUDIT_SIGNING_KEY;
      delete process.env.RUTA_AUDIT_CHECKPOINT_ENTRIES;
    }
  });

  it('a database outage mid-stream is retried with backoff: nothing lost, order kept', async () => {
    await useNamespace('dbdown');
    const consumers = await startConsumers();
    const persons = people(100);
    const [firstHalf, secondHalf] = [persons.slice(0, 50), persons.slice(50)];
    const before = firstHalf.flatMap(eventsOf);
    const during = secondHalf.flatMap(eventsOf);
    const duringIds = during.map((e) => e.id);
    await produce(before);
    await expectAppliedOnce(before);
    const retriesBefore = await Promise.all(consumers.map(retriesOf));
    const url = new URL(database!.url);
    const name = url.pathname.slice(1);
    url.pathname = '/postgres';
    const admin = new Client({ connectionString: url.toString() });
    await admin.connect();
    // The outage: no new connection to this database, and every service's sessions cut.
    await admin.query(`ALTER DATABASE "${name}" ALLOW_CONNECTIONS false`);
    try {
      await admin.query(
        `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND application_name = ANY($2::text[])`,
        [name, CONSUMERS],
      );
      await produce(during);
      for (const [i, consumer] of consumers.entries()) {
        await eventually(
          async () => ((await retriesOf(consumer)) > retriesBefore[i]! ? true : undefined),
          `${CONSUMERS[i]} to meet the outage and retry`,
        );
      }
      for (const sector of SECTORS)
        expect({ sector, applied: await effects.inbox(sector, duringIds) }).toEqual({ sector, applied: 0 });
      expect(await effects.audited(duringIds)).toBe(0);
    } finally {
      await admin.query(`ALTER DATABASE "${name}" ALLOW_CONNECTIONS true`);
      await admin.end();
    }
    await expectAppliedOnce(during);
  });

  it('a poison message is dead-lettered by every consumer without its content, the rest flows, and the redrive moves it once', async () => {
    await useNamespace('poison');
    const consumers = await startConsumers();
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
    await expectAppliedOnce(events);

    // Every group is past the poison (lag 0) and every outbox sent: the topic holds every letter.
    await outboxesSent();
    const letters = await readToEnd(deadLetterTopic(Topics.intakeEvents));
    const records = letters.map((m) => JSON.parse(m.value!.toString()) as DeadLetterRecord);
    const eachGroupTwice = CONSUMERS.flatMap((g) => [`${g} MESSAGE.INVALID`, `${g} MESSAGE.UNPARSEABLE`]).sort();
    expect(records.map((r) => `${r.group} ${r.errorCode}`).sort()).toEqual(eachGroupTwice);
    const namespace = process.env.RUTA_KAFKA_NAMESPACE!;
    expect(records.every((r) => r.sourceTopic === namespace + Topics.intakeEvents)).toBe(true);
    expect(letters.every((m) => m.headers!['ruta-dlq-source-offset'] !== undefined)).toBe(true);
    for (const m of letters) expect(m.value!.toString()).not.toContain(persons[0]!);

    const pending = await fetch(`${consumers[0]!.url}/v1/admin/dead-letters?topic=${Topics.intakeEvents}`, {
      headers: await authHeader(issuer, callers.admin),
    });
    expect(await pending.json()).toEqual({ topic: Topics.intakeEvents, pending: eachGroupTwice.length });
    await Promise.all(consumers.map((c) => stopped(c, 'SIGTERM')));

    const first = await redriveDeadLetters(environment.kafka, {
      topic: Topics.intakeEvents,
      namespace,
      requestedBy: OPERATOR,
    });
    expect(first).toMatchObject({ examined: eachGroupTwice.length, moved: eachGroupTwice.length, missing: 0 });
    const again = await redriveDeadLetters(environment.kafka, {
      topic: Topics.intakeEvents,
      namespace,
      requestedBy: OPERATOR,
    });
    expect(again).toMatchObject({ examined: 0, moved: 0 });
    const copies = (await readToEnd(Topics.intakeEvents)).filter((m) => m.headers?.[REDRIVE_FOR_HEADER] !== undefined);
    const originals = CONSUMERS.flatMap(() => [JSON.stringify(invalid), 'not json {']).sort();
    expect(copies.map((m) => m.value!.toString()).sort()).toEqual(originals);
    const targets = copies.map((m) => m.headers![REDRIVE_FOR_HEADER]!.toString()).sort();
    expect(targets).toEqual(CONSUMERS.flatMap((g) => [g, g]).sort());

    // Back up, each group fails its own copies again (they are still invalid) and skips the
    // others': a second letter each, and the admin endpoint redrives exactly those.
    const [restarted] = await startConsumers();
    await expectAppliedOnce(events);
    await outboxesSent();
    const position = (r: DeadLetterRecord) => `${r.group} ${r.sourcePartition}/${r.sourceOffset}`;
    const seen = new Set(records.map(position));
    const second = (await readToEnd(deadLetterTopic(Topics.intakeEvents)))
      .map((m) => JSON.parse(m.value!.toString()) as DeadLetterRecord)
      .filter((r) => !seen.has(position(r)));
    expect(second.map((r) => `${r.group} ${r.errorCode}`).sort()).toEqual(eachGroupTwice);
    const redrive = await fetch(`${restarted!.url}/v1/admin/dead-letters/redrive`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(await authHeader(issuer, callers.admin)) },
      body: JSON.stringify({ topic: Topics.intakeEvents }),
    });
    expect(redrive.status).toBe(200);
    expect(await redrive.json()).toMatchObject({
      examined: eachGroupTwice.length,
      moved: eachGroupTwice.length,
      missing: 0,
    });
  });
});
