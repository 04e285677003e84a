import 'reflect-metadata';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Topics, type CloudEvent } from '@ruta/contracts';
import {
  authHeader,
  callers,
  consentRecorded,
  createTestEnvironment,
  personId,
  personRegistered,
  startServiceProcess,
  startTestIssuer,
  tokenFor,
  vulnerabilityScreened,
  type ServiceProcess,
  type TestEnvironment,
  type TestIssuer,
} from '@ruta/testing';
import { Partitioners, type Producer } from 'kafkajs';
import { Client } from 'pg';
import { eventually, getJson } from './http';

const CLI = join(__dirname, '..', 'dist', 'libs', 'messaging', 'src', 'parking', 'parked.cli.js');

interface ParkedEntry {
  group: string;
  topic: string;
  partition: number;
  offset: string;
  code: string;
  errorClass: string | null;
}

/**
 * Key-level parking in a running health service: PostgreSQL itself fails the writes of chosen
 * people (a trigger raising P0001, an error the runner cannot classify), their events are parked
 * in order while everyone else flows; operators list, retry and release them with `npm run parked`.
 */
describe('parked messages in a running service', () => {
  let environment: TestEnvironment;
  let db: Client;
  let producer: Producer;
  let health: ServiceProcess;

  let issuer: TestIssuer;

  beforeAll(async () => {
    // The service (a child process) verifies tokens of this loopback issuer: RUTA_AUTH_ISSUER is inherited.
    issuer = await startTestIssuer();
    environment = await createTestEnvironment('parking');
    db = new Client({ connectionString: environment.databaseUrl });
    await db.connect();
    producer = environment.kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
    await producer.connect();
    health = await startServiceProcess('health-service', { RUTA_CONSUMER_MAX_ATTEMPTS: '2' });
    // The fault: writing a listed person's view fails with an error of no known class.
    await db.query(`
      CREATE SCHEMA fault;
      CREATE TABLE fault.refused (person_id text PRIMARY KEY);
      CREATE FUNCTION fault.refuse() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF EXISTS (SELECT 1 FROM fault.refused WHERE person_id = NEW.person_id) THEN
          RAISE EXCEPTION 'injected fault' USING ERRCODE = 'P0001';
        END IF;
        RETURN NEW;
      END $$;
      CREATE TRIGGER refuse BEFORE INSERT OR UPDATE ON health.person_view
        FOR EACH ROW EXECUTE FUNCTION fault.refuse();`);
  });

  afterAll(async () => {
    await health?.kill();
    await producer?.disconnect();
    await db?.end();
    await environment?.teardown();
    await issuer?.stop();
  });

  const eventsOf = (person: string): CloudEvent[] => [
    personRegistered(person),
    vulnerabilityScreened(person, { injury: true }),
    consentRecorded(person, ['health']),
  ];
  const produce = (events: CloudEvent[]) =>
    producer.send({
      topic: environment.namespace + Topics.intakeEvents,
      acks: -1,
      messages: events.map((e) => ({ key: e.subject, value: JSON.stringify(e) })),
    });
  const applied = async (ids: string[]) =>
    (await db.query<{ n: number }>('SELECT count(*)::int AS n FROM health.inbox WHERE event_id = ANY($1)', [ids]))
      .rows[0]!.n;
  const parkedCount = async () =>
    (await db.query<{ n: number }>('SELECT count(*)::int AS n FROM health.parked_messages')).rows[0]!.n;
  const decisionsOf = async (person: string) =>
    (
      await db.query<{ outcome: string }>('SELECT outcome FROM health.decisions WHERE person_id = $1 ORDER BY id', [
        person,
      ])
    ).rows.map((r) => r.outcome);
  const parked = (...args: string[]) =>
    tokenFor(issuer, callers.admin)
      .then((token) =>
        promisify(execFile)(process.execPath, [CLI, ...args, '--url', health.url], {
          env: { ...process.env, RUTA_ADMIN_TOKEN: token },
        }),
      )
      .then(({ stdout }) => JSON.parse(stdout) as unknown);

  it('parks only the failing people, in order; retry applies the mended, release dead-letters the rest', async () => {
    const [mended, given, ...others] = Array.from({ length: 22 }, () => personId());
    await db.query('INSERT INTO fault.refused (person_id) VALUES ($1), ($2)', [mended, given]);
    const events = [mended!, given!, ...others].flatMap(eventsOf);
    await produce(events);
    const othersIds = others.flatMap((p) => events.filter((e) => e.subject === p).map((e) => e.id));

    // The others flow; each failing person's three events wait, the first failed and two behind it.
    await eventually(
      async () => ((await applied(othersIds)) === othersIds.length ? true : undefined),
      'everyone else applied',
    );
    await eventually(async () => ((await parkedCount()) === 6 ? true : undefined), 'six messages parked');
    const listed = (await parked('list')) as { parked: ParkedEntry[] };
    expect(listed.parked.map((p) => p.code).sort()).toEqual([
      'MESSAGE.BEHIND_PARKED',
      'MESSAGE.BEHIND_PARKED',
      'MESSAGE.BEHIND_PARKED',
      'MESSAGE.BEHIND_PARKED',
      'MESSAGE.FAILED',
      'MESSAGE.FAILED',
    ]);
    expect(listed.parked.filter((p) => p.code === 'MESSAGE.FAILED').map((p) => p.errorClass)).toEqual([
      'QueryFailedError (SQLSTATE P0001)',
      'QueryFailedError (SQLSTATE P0001)',
    ]);
    // By position and code only: no person id, no content.
    expect(JSON.stringify(listed)).not.toContain(mended);
    expect(JSON.stringify(listed)).not.toContain(given);
    const metrics = await (await fetch(`${health.url}/metrics`)).text();
    expect(metrics).toContain(`ruta_consumer_parked_messages{group="health-service",topic="${Topics.intakeEvents}"} 6`);

    // One person mended: the retry applies their events in order; the other fails again at its first.
    await db.query('DELETE FROM fault.refused WHERE person_id = $1', [mended]);
    const retry = (await parked('retry', '--group', 'health-service')) as {
      groups: { group: string; retried: number; failed: ParkedEntry[] }[];
    };
    expect(retry.groups).toEqual([
      {
        group: 'health-service',
        retried: 3,
        failed: [
          expect.objectContaining({ topic: Topics.intakeEvents, errorClass: 'QueryFailedError (SQLSTATE P0001)' }),
        ],
      },
    ]);
    expect(await decisionsOf(mended!)).toEqual(['deferred', 'referred']);
    expect(await parkedCount()).toBe(3);

    // The other is released by its first parked position: to the dead-letter topic, and the person flows again.
    const head = retry.groups[0]!.failed[0]!;
    const release = (await parked(
      'release',
      '--topic',
      head.topic,
      '--partition',
      String(head.partition),
      '--offset',
      head.offset,
    )) as { groups: { released: number }[] };
    // No group named: every group of the service answers, the onward group (which parked nothing) too.
    expect(release.groups).toEqual([
      { group: 'health-service', released: 3 },
      { group: 'health-service-onward', released: 0 },
    ]);
    expect(await parkedCount()).toBe(0);
    await eventually(async () => {
      const pending = await getJson(
        `${health.url}/v1/admin/dead-letters?topic=${Topics.intakeEvents}`,
        await authHeader(issuer, callers.admin),
      );
      return pending.pending === 3 ? true : undefined;
    }, 'three released dead letters on the topic');

    // Mended later, the redrive brings the released events back and they are applied.
    await db.query('DELETE FROM fault.refused');
    const redrive = await fetch(`${health.url}/v1/admin/dead-letters/redrive`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(await authHeader(issuer, callers.admin)) },
      body: JSON.stringify({ topic: Topics.intakeEvents }),
    });
    expect(await redrive.json()).toMatchObject({ examined: 3, moved: 3, missing: 0 });
    const givenIds = events.filter((e) => e.subject === given).map((e) => e.id);
    await eventually(
      async () => ((await applied(givenIds)) === 3 ? true : undefined),
      'the released events applied after the redrive',
    );
  });

  it('refuses a group this service does not run and a partition without an offset, naming the field', async () => {
    const response = await fetch(`${health.url}/v1/admin/parked/retry`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(await authHeader(issuer, callers.admin)) },
      body: JSON.stringify({ group: 'some-other-group' }),
    });
    expect(response.status).toBe(400);
    const body = (await response.json()) as { errors: { field: string }[] };
    expect(body.errors.map((e) => e.field)).toEqual(['group']);
    expect(JSON.stringify(body)).not.toContain('some-other-group');

    // A partition without an offset names no parked message: refused, not widened to the whole topic.
    const partial = await fetch(`${health.url}/v1/admin/parked/release`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(await authHeader(issuer, callers.admin)) },
      body: JSON.stringify({ topic: Topics.intakeEvents, partition: 1 }),
    });
    expect(partial.status).toBe(400);
    expect(((await partial.json()) as { errors: { field: string }[] }).errors.map((e) => e.field)).toEqual(['offset']);
  });
});
