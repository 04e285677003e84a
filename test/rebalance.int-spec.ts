import 'reflect-metadata';
import { Topics, type CloudEvent } from '@ruta/contracts';
import { ensureTopics } from '@ruta/messaging';
import {
  consentRecorded,
  createTestEnvironment,
  personId,
  personRegistered,
  startServiceProcess,
  startTestIssuer,
  vulnerabilityScreened,
  type ServiceProcess,
  type TestEnvironment,
  type TestIssuer,
} from '@ruta/testing';
import { Partitioners, type Producer } from 'kafkajs';
import { Client } from 'pg';
import { eventually } from './http';

const GROUP = 'health-service';

/**
 * Two members of one consumer group rebalancing mid-stream (kafkajs#1046): a second member joins
 * while events flow, then the first leaves with SIGTERM. Every person produces three intake
 * events and must end with exactly one referral and the decisions deferred, then referred: an
 * event applied twice or out of order through a rebalance would show.
 */
describe('a consumer group rebalancing mid-stream', () => {
  let environment: TestEnvironment;
  let db: Client;
  let producer: Producer;
  const running: ServiceProcess[] = [];

  let issuer: TestIssuer;

  beforeAll(async () => {
    // The services (child processes) verify tokens of this loopback issuer: RUTA_AUTH_ISSUER is inherited.
    issuer = await startTestIssuer();
    environment = await createTestEnvironment('rebalance');
    db = new Client({ connectionString: environment.databaseUrl });
    await db.connect();
    producer = environment.kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
    await producer.connect();
    // Six partitions, so both members own some while they share the group.
    await ensureTopics(environment.kafka, [environment.namespace + Topics.intakeEvents], 6);
  });

  afterAll(async () => {
    await Promise.all(running.splice(0).map((s) => s.kill()));
    await producer?.disconnect();
    await db?.end();
    await environment?.teardown();
    await issuer?.stop();
  });

  const start = async () => {
    const service = await startServiceProcess(GROUP);
    running.push(service);
    return service;
  };
  const eventsOf = (person: string): CloudEvent[] => [
    personRegistered(person),
    vulnerabilityScreened(person, { injury: true }),
    consentRecorded(person, ['health']),
  ];
  /** Produces twenty new people's events every 100 ms until told to stop: the stream flows while members come and go. */
  const startStream = (persons: string[], ids: string[]) => {
    let flowing = true;
    const done = (async () => {
      while (flowing && persons.length < 3000) {
        const slice = Array.from({ length: 20 }, () => personId());
        const events = slice.flatMap(eventsOf);
        await producer.send({
          topic: environment.namespace + Topics.intakeEvents,
          acks: -1,
          messages: events.map((e) => ({ key: e.subject, value: JSON.stringify(e) })),
        });
        persons.push(...slice);
        ids.push(...events.map((e) => e.id));
        await new Promise((r) => setTimeout(r, 100));
      }
    })();
    return async () => {
      flowing = false;
      await done;
    };
  };
  const applied = async (ids: string[]) =>
    (await db.query<{ n: number }>('SELECT count(*)::int AS n FROM health.inbox WHERE event_id = ANY($1)', [ids]))
      .rows[0]!.n;
  /** Messages this member applied, from its own metrics. */
  const consumedBy = async (service: ServiceProcess) => {
    const metrics = await (await fetch(`${service.url}/metrics`)).text();
    return metrics
      .split('\n')
      .filter((line) => line.startsWith('ruta_consumer_messages_total{') && line.includes(`group="${GROUP}"`))
      .reduce((sum, line) => sum + Number(line.split(' ').pop()), 0);
  };
  const lag = async () => {
    const admin = environment.kafka.admin();
    await admin.connect();
    try {
      const topic = environment.namespace + Topics.intakeEvents;
      const ends = await admin.fetchTopicOffsets(topic);
      const [committed] = await admin.fetchOffsets({ groupId: environment.namespace + GROUP, topics: [topic] });
      return ends.reduce((sum, e) => {
        const at = Number(committed!.partitions.find((p) => p.partition === e.partition)?.offset ?? -1);
        return sum + Number(e.high) - Math.max(at, 0);
      }, 0);
    } finally {
      await admin.disconnect();
    }
  };

  it('applies every event exactly once and in order per person, through a join and a leave', async () => {
    const persons: string[] = [];
    const ids: string[] = [];
    const first = await start();
    const stopStream = startStream(persons, ids);
    await eventually(async () => ((await applied(ids)) > 0 ? true : undefined), 'the first member to apply');

    // A second member joins while the stream flows: the group rebalances under load.
    const second = await start();
    await eventually(async () => ((await consumedBy(second)) > 0 ? true : undefined), 'the second member to apply');

    // The first leaves with SIGTERM, still mid-stream: its partitions move to the second.
    await running.splice(running.indexOf(first), 1)[0]!.kill('SIGTERM');
    const atLeave = await consumedBy(second);
    await eventually(async () => ((await consumedBy(second)) > atLeave ? true : undefined), 'the second to go on');
    await stopStream();

    await eventually(
      async () => ((await applied(ids)) === ids.length ? true : undefined),
      'every event applied',
      120_000,
    );
    await eventually(async () => ((await lag()) === 0 ? true : undefined), 'the group to commit to the end');

    // Events in, effects out: each applied once, one referral per person, decisions in order.
    expect(await applied(ids)).toBe(ids.length);
    const referrals = await db.query<{ person_id: string; n: number }>(
      'SELECT person_id, count(*)::int AS n FROM health.referrals WHERE person_id = ANY($1) GROUP BY person_id',
      [persons],
    );
    expect(referrals.rows).toHaveLength(persons.length);
    expect(referrals.rows.filter((r) => r.n !== 1)).toEqual([]);
    const decisions = await db.query<{ person_id: string; outcomes: string[] }>(
      `SELECT person_id, array_agg(outcome ORDER BY id) AS outcomes FROM health.decisions
       WHERE person_id = ANY($1) GROUP BY person_id`,
      [persons],
    );
    expect(decisions.rows).toHaveLength(persons.length);
    expect(decisions.rows.filter((r) => r.outcomes.join() !== 'deferred,referred')).toEqual([]);
    // Nothing was parked or dead-lettered on the way.
    expect((await db.query('SELECT 1 FROM health.parked_messages')).rows).toEqual([]);
    const admin = environment.kafka.admin();
    await admin.connect();
    const letters = await admin.fetchTopicOffsets(`${environment.namespace}${Topics.intakeEvents}.dlq`);
    await admin.disconnect();
    expect(letters.every((p) => p.high === '0')).toBe(true);
  });
});
