import 'reflect-metadata';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { getDataSourceToken } from '@nestjs/typeorm';
import { Client } from 'pg';
import type { CloudEvent } from '@ruta/contracts';
import { Topics } from '@ruta/contracts';
import { MessagingService } from '@ruta/messaging';
import { createServiceApp } from '@ruta/platform';
import {
  consentRecorded,
  createTestEnvironment,
  personId,
  readWholeTopic,
  startTestIssuer,
  vulnerabilityScreened,
  waitUntil,
  type TestEnvironment,
  type TestIssuer,
} from '@ruta/testing';
import type { DataSource } from 'typeorm';
import { AppModule } from '../../app.module';
import { IntakeStore } from './intake.store';

/** Two gateway replicas on one database, as in production: each its own pool and relay. */
describe('IntakeStore: the per-person sequence across replicas (PostgreSQL, Kafka)', () => {
  let environment: TestEnvironment;
  const replicas: NestFastifyApplication[] = [];
  let holder: Client;

  let issuer: TestIssuer;

  beforeAll(async () => {
    // The app verifies tokens of this loopback issuer (RUTA_AUTH_ISSUER); it needs one to boot.
    issuer = await startTestIssuer();
    environment = await createTestEnvironment('intake-sequence');
    for (let i = 0; i < 2; i++) {
      const app = await createServiceApp(AppModule);
      await app.init();
      await app.get(MessagingService).started;
      replicas.push(app);
    }
    holder = new Client({ connectionString: environment.databaseUrl });
    await holder.connect();
  });

  afterAll(async () => {
    await holder?.end();
    for (const app of replicas) await app.close();
    await environment?.teardown();
    await issuer?.stop();
  });

  const storeOf = (i: number) => replicas[i % 2]!.get(IntakeStore);
  const db = () => replicas[0]!.get<DataSource>(getDataSourceToken());
  /** Backends waiting for a lock: the person's row, while the test holds it. */
  const waiting = async () => {
    // Not from the holder's session: pg_stat_activity stays as first read within a transaction.
    const [{ n }] = await db().query(
      `SELECT count(*)::int AS n FROM pg_stat_activity
       WHERE datname = current_database() AND wait_event_type = 'Lock'`,
    );
    return n as number;
  };

  it('follows commit order for one person under concurrent requests to two replicas', async () => {
    const person = personId();
    // Half of them leave out the times: the gateway fills them in.
    const events: CloudEvent[] = Array.from({ length: 10 }, (_, i) => {
      const event = vulnerabilityScreened(person, { needsFood: i % 2 === 0 }) as CloudEvent;
      if (i % 2 === 0) return event;
      const { time: _time, ...untimed } = event;
      return { ...untimed, data: { personId: person, indicators: { needsFood: false } } };
    });

    // The test holds the person's lock; stores queue behind it one by one, alternating replicas.
    // PostgreSQL grants a released lock to its waiters in queue order, and each holds it to its
    // commit: commit order is queue order.
    const drawn = async () =>
      (await db().query('SELECT last_value::text AS v, is_called FROM intake.events_sequence'))[0] as object;
    const drawnBefore = await drawn();
    await holder.query('INSERT INTO intake.person_locks (subject) VALUES ($1)', [person]);
    await holder.query('BEGIN');
    await holder.query('SELECT 1 FROM intake.person_locks WHERE subject = $1 FOR UPDATE', [person]);
    const stores: Promise<string[]>[] = [];
    for (const [i, event] of events.entries()) {
      stores.push(storeOf(i).store([{ event }]));
      await waitUntil(async () => ((await waiting()) > i ? true : undefined), `store ${i} to queue`);
    }
    // Nothing drawn while they wait: a sequence is drawn under the lock, never before it.
    expect(await drawn()).toEqual(drawnBefore);
    await holder.query('COMMIT');
    expect((await Promise.all(stores)).flat()).toEqual(events.map(() => 'accepted'));
    const committed = events.map((e) => e.id);

    const rows: { event_id: string; sequence: string; accepted_at: Date }[] = await db().query(
      `SELECT event_id, sequence::text, accepted_at FROM intake.events e WHERE subject = $1 ORDER BY e.sequence`,
      [person],
    );
    expect(rows.map((r) => r.event_id)).toEqual(committed);
    // The transaction ids, given at each insert under the lock, agree.
    const byXid: { event_id: string }[] = await db().query(
      `SELECT event_id FROM intake.events WHERE subject = $1 ORDER BY xmin::text::bigint`,
      [person],
    );
    expect(byXid.map((r) => r.event_id)).toEqual(committed);

    const topic = environment.namespace + Topics.intakeEvents;
    const mine = async () =>
      (await readWholeTopic(environment.kafka, topic))
        .filter((m) => m.key?.toString() === person)
        .map((m) => JSON.parse(m.value!.toString()) as CloudEvent<{ screenedAt: string }>);
    const published = await waitUntil(async () => {
      const found = await mine();
      return found.length === events.length ? found : undefined;
    }, 'the events published');
    // Published in sequence order, each with its 20-digit sequence and its times filled in.
    expect(published.map((e) => e.id)).toEqual(committed);
    expect(published.map((e) => e.sequence)).toEqual(rows.map((r) => r.sequence.padStart(20, '0')));
    for (const [i, event] of published.entries()) {
      const submitted = events.find((e) => e.id === event.id)!;
      const row = rows[i]!;
      expect(event.sequence).toMatch(/^\d{20}$/);
      expect(event.time).toBe(submitted.time ?? row.accepted_at.toISOString());
      expect(event.data.screenedAt).toBe(
        (submitted.data as { screenedAt?: string }).screenedAt ?? submitted.time ?? row.accepted_at.toISOString(),
      );
    }
  });

  it('keeps the first sequence of a duplicate, and draws batch order within a batch', async () => {
    const person = personId();
    const first = consentRecorded(person, ['health']);
    const second = vulnerabilityScreened(person, { injury: true });
    // Ids out of order on purpose: sequence follows the batch, not the id.
    const batch = [
      { ...second, id: `z-${second.id}` },
      { ...first, id: `a-${first.id}` },
    ];
    expect(await storeOf(0).store(batch.map((event) => ({ event })))).toEqual(['accepted', 'accepted']);
    const sequences = async () =>
      (
        await db().query(
          'SELECT event_id, sequence::text FROM intake.events e WHERE subject = $1 ORDER BY e.sequence',
          [person],
        )
      ).map((r: { event_id: string; sequence: string }) => [r.event_id, r.sequence]);
    const stored = await sequences();
    expect(stored.map(([id]: string[]) => id)).toEqual(batch.map((e) => e.id));
    expect(await storeOf(1).store([{ event: batch[1]! }])).toEqual(['duplicate']);
    expect(await sequences()).toEqual(stored);
  });

  it('never deadlocks two replicas storing batches of the same people in opposite orders', async () => {
    const people = Array.from({ length: 6 }, () => personId());
    const rounds = Array.from({ length: 8 }, (_, round) => {
      const order = round % 2 === 0 ? people : [...people].reverse();
      return storeOf(round).store(order.map((p) => ({ event: vulnerabilityScreened(p, { needsShelter: true }) })));
    });
    const outcomes = (await Promise.all(rounds)).flat();
    expect(outcomes).toEqual(Array(8 * people.length).fill('accepted'));
  });
});
