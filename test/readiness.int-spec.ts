import 'reflect-metadata';
import { Topics } from '@ruta/contracts';
import {
  consentRecorded,
  createTestEnvironment,
  personId,
  personRegistered,
  startServiceProcess,
  startTestIssuer,
  vulnerabilityScreened,
  waitUntil,
  type ServiceProcess,
  type TestEnvironment,
  type TestIssuer,
} from '@ruta/testing';
import { Partitioners } from 'kafkajs';
import { Client } from 'pg';

/**
 * A sector service killed and started again at once must serve HTTP (liveness) straight away, while
 * its consumer waits for the dead member's session to expire before it can rejoin the group;
 * readiness says when consuming has started.
 */
describe('a restarted sector service is live at once and ready once it consumes', () => {
  let environment: TestEnvironment;
  let db: Client;
  const running: ServiceProcess[] = [];

  let issuer: TestIssuer;

  beforeAll(async () => {
    // The services (child processes) verify tokens of this loopback issuer: RUTA_AUTH_ISSUER is inherited.
    issuer = await startTestIssuer();
    environment = await createTestEnvironment('readiness');
    db = new Client({ connectionString: environment.databaseUrl });
    await db.connect();
  });

  afterAll(async () => {
    await Promise.all(running.map((s) => s.kill()));
    await db?.end();
    await environment?.teardown();
    await issuer?.stop();
  });

  const status = async (service: ServiceProcess, path: string) => {
    const response = await fetch(`${service.url}${path}`);
    return { status: response.status, body: (await response.json()) as { detail?: string } };
  };

  it('answers /health/live while /health/ready says messaging is not ready, then consumes', async () => {
    const first = await startServiceProcess('health-service');
    await first.kill(); // SIGKILL: the member stays in the group until its session expires
    const restarted = await startServiceProcess('health-service', {}, { waitFor: 'live' });
    running.push(restarted);

    expect((await status(restarted, '/health/live')).status).toBe(200);
    const notReady = await status(restarted, '/health/ready');
    expect(notReady.status).toBe(503);
    expect(notReady.body.detail).toContain('messaging');
    expect(notReady.body.detail).toContain('group health-service: joining');

    await waitUntil(
      async () => ((await status(restarted, '/health/ready')).status === 200 ? true : undefined),
      'the restarted service to be ready',
      90_000,
    );
    const person = personId();
    const events = [
      personRegistered(person),
      vulnerabilityScreened(person, { injury: true }),
      consentRecorded(person, ['health']),
    ];
    const producer = environment.kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
    await producer.connect();
    await producer.send({
      topic: environment.namespace + Topics.intakeEvents,
      acks: -1,
      messages: events.map((e) => ({ key: e.subject, value: JSON.stringify(e) })),
    });
    await producer.disconnect();
    const applied = await waitUntil(async () => {
      const { rows } = await db.query<{ n: number }>(
        'SELECT count(*)::int AS n FROM health.inbox WHERE event_id = ANY($1::text[])',
        [events.map((e) => e.id)],
      );
      return rows[0]!.n === events.length ? rows[0]!.n : undefined;
    }, 'the restarted service to apply the events');
    expect(applied).toBe(events.length);
  });

  it('serves /health/live with Kafka unreachable, retries in the background, and still stops on SIGTERM', async () => {
    // Nothing listens on port 1: every connection is refused, as when the brokers are down.
    const service = await startServiceProcess('health-service', { KAFKA_BROKERS: '127.0.0.1:1' }, { waitFor: 'live' });
    running.push(service);
    const notReady = await status(service, '/health/ready');
    expect(notReady.status).toBe(503);
    expect(notReady.body.detail).toContain('producer: connecting');
    // Resolves once the process has exited: shutdown does not wait for a start-up that cannot finish.
    await service.kill('SIGTERM');
  });

  it('stops on SIGTERM while its consumer is still waiting to join the group', async () => {
    const first = await startServiceProcess('health-service');
    await first.kill(); // SIGKILL: the next member's join waits for this one's session to expire
    const restarted = await startServiceProcess('health-service', {}, { waitFor: 'live' });
    running.push(restarted);
    await waitUntil(async () => {
      const { detail } = (await status(restarted, '/health/ready')).body;
      return detail?.includes('group health-service: joining') ? true : undefined;
    }, 'the consumer to be joining');
    // Resolves once the process has exited: the pending join does not hold the shutdown.
    await restarted.kill('SIGTERM');
  });
});
