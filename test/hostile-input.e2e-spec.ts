import 'reflect-metadata';
import { connect } from 'node:net';
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
  vulnerabilityScreened,
  type ServiceProcess,
  type TestEnvironment,
  type TestIssuer,
} from '@ruta/testing';
import { Partitioners, type Consumer, type KafkaMessage, type Producer } from 'kafkajs';
import { Client } from 'pg';
import { eventually } from './http';

/**
 * What a hostile client sends, over HTTP and Kafka, against the built services as processes with
 * their production heap: each case gets a 4xx with a stable problem type or a dead letter, the
 * valid neighbours are stored, and the service stays up and ready.
 */
describe('hostile input: no crash, no stall, no 500, nothing repeated back', () => {
  let environment: TestEnvironment;
  let db: Client;
  let producer: Producer;
  let gateway: ServiceProcess;
  let health: ServiceProcess;
  let audit: ServiceProcess;
  let reader: Consumer;
  let issuer: TestIssuer;
  const deadLetters: KafkaMessage[] = [];

  beforeAll(async () => {
    // The services (child processes) verify tokens of this issuer: RUTA_AUTH_ISSUER is inherited.
    issuer = await startTestIssuer();
    environment = await createTestEnvironment('hostile');
    db = new Client({ connectionString: environment.databaseUrl });
    await db.connect();
    const slowClients = { HTTP_HEADERS_TIMEOUT_MS: '1000', HTTP_REQUEST_TIMEOUT_MS: '2000' };
    [gateway, health, audit] = await Promise.all([
      startServiceProcess('intake-gateway', slowClients),
      startServiceProcess('health-service'),
      startServiceProcess('audit-service'),
    ]);
    producer = environment.kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
    await producer.connect();
    reader = environment.kafka.consumer({ groupId: `${environment.namespace}dlq-reader`, maxWaitTimeInMs: 100 });
    await reader.connect();
    await reader.subscribe({ topic: `${environment.namespace}${Topics.intakeSubmissions}.dlq`, fromBeginning: true });
    await reader.run({ eachMessage: async ({ message }) => void deadLetters.push(message) });
  });

  afterAll(async () => {
    await reader?.disconnect();
    await producer?.disconnect();
    await Promise.all([gateway, health, audit].map((s) => s?.kill('SIGTERM')));
    await db?.end();
    await environment?.teardown();
    await issuer?.stop();
  });

  // Each test reads the dead letters its own messages caused.
  beforeEach(() => void (deadLetters.length = 0));

  afterEach(async () => {
    for (const service of [gateway, health, audit]) {
      expect((await fetch(`${service.url}/health/ready`)).status).toBe(200);
    }
  });

  // Hostile content from a caller with the right role: what is judged here is the input, not the token.
  const send = async (path: string, body: string, contentType = 'application/json') =>
    fetch(`${gateway.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': contentType, ...(await authHeader(issuer, callers.borderAgent)) },
      body,
    });
  /** A GET by the role the route is for: the auditor on the audit log, a health supervisor elsewhere. */
  const read = async (url: string) =>
    fetch(url, {
      headers: await authHeader(issuer, url.includes('/v1/audit/') ? callers.auditor : callers.supervisor('health')),
    });
  const postEvent = (event: unknown, contentType?: string) =>
    send('/v1/intake/events', JSON.stringify(event), contentType);
  const stored = async (ids: string[]) =>
    (await db.query<{ event_id: string }>('SELECT event_id FROM intake.events WHERE event_id = ANY($1)', [ids])).rows
      .map((r) => r.event_id)
      .sort();
  const fieldsOf = (problem: { errors?: { field: string }[] }) => (problem.errors ?? []).map((e) => e.field).sort();
  const nested = (levels: number): unknown => JSON.parse('{"x":'.repeat(levels) + '1' + '}'.repeat(levels));
  // Spreading copies own keys such as constructor as plain data, as JSON.parse makes them.
  const withData = (event: CloudEvent, data: Record<string, unknown>) => ({
    ...event,
    data: { ...(event.data as object), ...data },
  });

  it('answers 413 to 2.7 million empty events in 8 MB, and keeps serving', async () => {
    const flood = `{"events":[${'{},'.repeat(2_700_000)}{}]}`;
    const answer = await send('/v1/intake/events:batch', flood);
    expect(answer.status).toBe(413);
    expect(await answer.json()).toMatchObject({ type: 'urn:ruta:problem:intake.batch-too-large' });
    const event = personRegistered(personId());
    expect((await postEvent(event)).status).toBe(202);
  });

  it('rejects each poison of a batch on its own and stores its valid neighbours', async () => {
    const before = personRegistered(personId());
    const after = personRegistered(personId());
    const cases = poisons();
    const answer = await send(
      '/v1/intake/events:batch',
      `{"events":[${[before, ...cases.map(([, poison]) => poison), after].map((e) => JSON.stringify(e)).join(',')}]}`,
    );
    expect(answer.status).toBe(200);
    const body = (await answer.json()) as {
      results: { status: string; code?: string; errors?: { field: string }[] }[];
    };
    expect(body.results.map((r) => r.status)).toEqual(['accepted', ...cases.map(() => 'rejected'), 'accepted']);
    expect(body.results.slice(1, -1).map((r) => fieldsOf(r))).toEqual(cases.map(([, , fields]) => fields));
    expect(await stored([before.id, after.id])).toEqual([before.id, after.id].sort());
  });

  it('stores the neighbours of an event PostgreSQL itself refuses, and answers it apart', async () => {
    // A rule only the database knows stands in for a value the contracts let through by mistake.
    await db.query("ALTER TABLE intake.events ADD CONSTRAINT hostile_refused CHECK (source <> 'refused/by-db')");
    try {
      const [before, after] = [personRegistered(personId()), personRegistered(personId())];
      const refused = { ...personRegistered(personId()), source: 'refused/by-db' };
      const answer = await send('/v1/intake/events:batch', JSON.stringify({ events: [before, refused, after] }));
      expect(answer.status).toBe(200);
      const body = (await answer.json()) as { results: { status: string; code?: string }[] };
      expect(body.results.map((r) => r.code ?? r.status)).toEqual(['accepted', 'INTAKE.UNSTORABLE', 'accepted']);
      expect(await stored([before.id, refused.id, after.id])).toEqual([before.id, after.id].sort());
    } finally {
      await db.query('ALTER TABLE intake.events DROP CONSTRAINT hostile_refused');
    }
  });

  const poisons = (): [string, unknown, string[]][] => {
    const person = personId();
    const registered = personRegistered(person);
    const screened = vulnerabilityScreened(person, { pregnant: true });
    const linked = {
      ...registered,
      type: 'household.linked',
      data: { householdId: 'H-1', headPersonId: person, linkedAt: '2026-11-20T14:00:00Z' },
    };
    return [
      ['constructor in data', withData(registered, { constructor: {} }), ['data.(unknown field)']],
      ['constructor: null in data', withData(registered, { constructor: null }), ['data.(unknown field)']],
      ['constructor at the root', { ...registered, constructor: {} }, ['(unknown field)']],
      [
        '__proto__ in data',
        JSON.parse(JSON.stringify(registered).replace('"personId"', '"__proto__":{"x":1},"personId"')),
        ['data.(unknown field)'],
      ],
      [
        'constructor in identifiers',
        withData(registered, { identifiers: JSON.parse('{"fullName":"Ana","constructor":{}}') }),
        ['data.identifiers.(unknown field)'],
      ],
      [
        'constructor in indicators',
        { ...screened, data: { ...screened.data, indicators: JSON.parse('{"pregnant":true,"constructor":1}') } },
        ['data.indicators.(unknown field)'],
      ],
      [
        'constructor in a household member',
        { ...linked, data: { ...linked.data, members: [JSON.parse(`{"personId":"${person}","constructor":{}}`)] } },
        ['data.members.0.(unknown field)'],
      ],
      ['a lone surrogate in source', { ...registered, source: 'senafront/\ud800' }, ['source']],
      ['nesting 1,500 deep', { ...registered, data: nested(1500) }, ['']],
    ];
  };

  it.each(['application/json', 'application/cloudevents+json'])(
    'judges each poison the same over %s: 400 naming the field, never 500',
    async (contentType) => {
      for (const [name, poison, fields] of poisons()) {
        const answer = await postEvent(poison, contentType);
        const problem = (await answer.json()) as { type: string; errors?: { field: string }[] };
        expect({ name, status: answer.status, type: problem.type, fields: fieldsOf(problem) }).toEqual({
          name,
          status: 400,
          type: 'urn:ruta:problem:intake.invalid-event',
          fields,
        });
      }
    },
  );

  it('judges the same poisons on intake.submissions.v1 alike, dead-letters them, and does not stall', async () => {
    // Identifiers of any shape are refused on Kafka before anything else (a test of its own below).
    const cases = poisons().filter(([name]) => !name.includes('identifiers'));
    const person = personId();
    const marker = personRegistered(person);
    const redriveHeader = personRegistered(personId());
    await producer.send({
      topic: environment.namespace + Topics.intakeSubmissions,
      acks: -1,
      messages: [
        ...cases.map(([, poison]) => ({ key: person, value: JSON.stringify(poison) })),
        // A header from outside never steers the gateway: this one is judged and stored.
        { key: person, value: JSON.stringify(redriveHeader), headers: { 'ruta-redrive-for': 'another-group' } },
        { key: person, value: JSON.stringify(marker) },
      ],
    });
    await eventually(async () => ((await stored([marker.id])).length === 1 ? true : undefined), 'the marker stored');
    expect(await stored([redriveHeader.id])).toEqual([redriveHeader.id]);
    await eventually(async () => (deadLetters.length >= cases.length ? true : undefined), 'the dead letters');
    const records = deadLetters.map((m) => JSON.parse(m.value!.toString()) as { fields: string[]; errorCode: string });
    // Dead letters are keyed by position, so they spread over the DLQ's partitions: compare as sets.
    const sorted = (lists: string[][]) => lists.map((fields) => [...fields].sort().join(' ')).sort();
    expect(sorted(records.map((r) => r.fields))).toEqual(sorted(cases.map(([, , fields]) => fields)));
    expect(records.every((r) => r.errorCode === 'MESSAGE.INVALID')).toBe(true);
    expect(deadLetters.map((m) => m.value!.toString()).join()).not.toMatch(/Ana|senafront/);
  });

  it('refuses direct identifiers on Kafka with a code of their own, and stores them only over HTTP', async () => {
    const onKafka = withData(personRegistered(personId()), { identifiers: { fullName: 'Yusleidy Márquez' } });
    await producer.send({
      topic: environment.namespace + Topics.intakeSubmissions,
      acks: -1,
      messages: [{ key: onKafka.subject, value: JSON.stringify(onKafka) }],
    });
    await eventually(async () => (deadLetters.length >= 1 ? true : undefined), 'the dead letter');
    const record = JSON.parse(deadLetters[0]!.value!.toString()) as Record<string, unknown>;
    expect(record).toMatchObject({ errorCode: 'INTAKE.IDENTIFIERS_NOT_ON_KAFKA', eventId: onKafka.id });
    expect(deadLetters[0]!.value!.toString()).not.toContain('Yusleidy');
    expect(await stored([onKafka.id])).toEqual([]);
  });

  it('answers 409 to the same event id with another name, and 200 to the same name', async () => {
    const event = personRegistered(personId());
    const named = (fullName: string) => withData(event, { identifiers: { fullName } });
    expect((await postEvent(named('Ana María Rojas'))).status).toBe(202);
    expect((await postEvent(named('Ana María Rojas'))).status).toBe(200);
    const renamed = await postEvent(named('Otra Persona'));
    expect(renamed.status).toBe(409);
    expect(await renamed.text()).not.toMatch(/Otra|Rojas/);
    expect((await postEvent(event)).status).toBe(409);
  });

  it('answers malformed GET parameters with 400 naming the parameter', async () => {
    const forged = Buffer.from(JSON.stringify({ createdAt: 'yesterday', id: 'x' })).toString('base64url');
    const cases: [string, string][] = [
      [`${health.url}/v1/health/referrals?after=${forged}`, 'after'],
      [`${health.url}/v1/health/referrals?after=AAAA`, 'after'],
      [`${health.url}/v1/health/referrals?servicePointId=%00`, 'servicePointId'],
      [`${health.url}/v1/health/referrals?limit=abc`, 'limit'],
      [`${health.url}/v1/health/referrals?priority=high`, 'priority'],
      [`${health.url}/v1/health/referrals?type=%00`, 'type'],
      [`${health.url}/v1/health/referrals?stationId=%00`, 'stationId'],
      [`${health.url}/v1/health/decisions`, 'personId'],
      [`${health.url}/v1/health/decisions?personId=P-000123&after=${forged}`, 'after'],
      [`${health.url}/v1/health/decisions?personId=P-000123&limit=201`, 'limit'],
      [`${audit.url}/v1/audit/events?subject=P-000123&after=9999999999999999999`, 'after'],
    ];
    for (const [url, field] of cases) {
      const answer = await read(url);
      expect({
        url,
        status: answer.status,
        fields: fieldsOf((await answer.json()) as { errors?: { field: string }[] }),
      }).toEqual({
        url,
        status: 400,
        fields: [field],
      });
    }
  });

  it('repeats nothing the client sent: unknown field names and 404 paths come back as fixed text', async () => {
    const unknown = await postEvent({ ...personRegistered(personId()), MariaPerezGonzalez: 'x' });
    expect(unknown.status).toBe(400);
    expect(await unknown.text()).not.toContain('MariaPerez');
    const query = await read(`${health.url}/v1/health/referrals?MariaPerezGonzalez=1`);
    expect(query.status).toBe(400);
    expect(await query.text()).not.toContain('MariaPerez');
    const missing = await fetch(`${gateway.url}/v1/intake/lookup?name=MariaPerezGonzalez`);
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ status: 404, detail: 'no such resource' });
    const media = await send('/v1/intake/events', 'x', 'text/MariaPerezGonzalez');
    expect(media.status).toBe(415);
    expect(await media.text()).not.toContain('MariaPerez');
  });

  it('cuts off a client that never finishes its headers or its body', async () => {
    const closedAfter = (payload: string) =>
      new Promise<string>((resolve, reject) => {
        const { port } = new URL(gateway.url);
        const socket = connect(Number(port), '127.0.0.1', () => socket.write(payload));
        let answer = '';
        socket.on('data', (chunk) => (answer += chunk.toString()));
        socket.on('close', () => resolve(answer));
        socket.on('error', reject);
        socket.setTimeout(20_000, () => reject(new Error('the server kept a stalled request open')));
      });
    // Closed (with a 408, or without a word) well before the 20 s the client waits; Node's own
    // defaults would keep the first open 60 s and the second for ever.
    const cutOff = (answer: string) => answer === '' || answer.startsWith('HTTP/1.1 408');
    const headers = await closedAfter('POST /v1/intake/events HTTP/1.1\r\nHost: x\r\nContent-Type: appl');
    expect(cutOff(headers)).toBe(true);
    const body = await closedAfter(
      'POST /v1/intake/events HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 500\r\n\r\n{"id":',
    );
    expect(cutOff(body)).toBe(true);
    const answer = await postEvent(consentRecorded(personId(), ['health']));
    expect(answer.status).toBe(202);
  });
});
