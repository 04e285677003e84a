import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { Topics } from '@ruta/contracts';
import {
  callers,
  createTestEnvironment,
  personId,
  personRegistered,
  TestIssuer,
  type TestCaller,
  type TestEnvironment,
} from '@ruta/testing';
import { Client } from 'pg';
import { describeRouteAuthorisation, type AuthorisationContext, type RouteRow } from './authorisation/route-table';
import { startSystem, type RunningSystem } from './system-apps';

// Two users of each kind: the ones a route is for, and every other one.
const healthCaseworker = callers.caseworker('health', 'health-lajas-blancas');
const healthCaseworkerElsewhere = callers.caseworker('health', 'health-los-planes');
const healthSupervisor = callers.supervisor('health', 'health-lajas-blancas');
const protectionCaseworker = callers.caseworker('protection', 'protection-lajas-blancas');
const protectionSupervisor = callers.supervisor('protection');
const { admin, auditor, borderAgent, coordinator } = callers;
const EVERYONE: TestCaller[] = [
  borderAgent,
  admin,
  auditor,
  coordinator,
  healthCaseworker,
  healthSupervisor,
  protectionCaseworker,
];
const allBut = (...allowed: TestCaller[]) => EVERYONE.filter((caller) => !allowed.includes(caller));

// Seeded in the health service: one person's referral at each of two service points, and a decision.
const seeded = {
  lajasPerson: personId(),
  planesPerson: personId(),
  lajasReferral: randomUUID(),
  planesReferral: randomUUID(),
  decisionId: '',
  /** A person the gateway knows, for the erasure route (erasing again answers the same). */
  erasable: personId(),
};

/** Each service and a topic it consumes (the dead-letter routes take only those). */
const ADMIN_SERVICES: [string, string][] = [
  ['intake', Topics.intakeSubmissions],
  ['health', Topics.intakeEvents],
  ['socialDevelopment', Topics.intakeEvents],
  ['protection', Topics.intakeEvents],
  ['audit', Topics.intakeEvents],
];

/**
 * Every existing route, who may call it and who may not. Casework routes are added as rows here:
 * `allowed` get `okStatus`, `forbidden` get 403, `hidden` (another sector's) the 404 of an unknown
 * path, and `sees` says what a caller's answer must and must not hold.
 */
const ROUTES: RouteRow[] = [
  // Intake: border agents (a person, or the agency-system client's service account).
  {
    service: 'intake',
    method: 'POST',
    path: '/v1/intake/events',
    body: () => personRegistered(personId()),
    allowed: [borderAgent],
    okStatus: 202,
    forbidden: allBut(borderAgent),
  },
  {
    service: 'intake',
    method: 'POST',
    path: '/v1/intake/events:batch',
    body: () => ({ events: [personRegistered(personId())] }),
    allowed: [borderAgent],
    forbidden: allBut(borderAgent),
  },
  // Audit: auditors only.
  {
    service: 'audit',
    method: 'GET',
    path: () => `/v1/audit/events?subject=${seeded.lajasPerson}`,
    allowed: [auditor],
    forbidden: allBut(auditor),
  },
  // Erasure by key destruction: admins only, at the gateway.
  {
    service: 'intake',
    method: 'POST',
    path: () => `/v1/admin/people/${seeded.erasable}:erase`,
    body: () => ({ reason: 'data-subject-request' }),
    allowed: [admin],
    forbidden: allBut(admin),
  },
  // The log's tamper evidence: auditors only (a system with no signing key has no checkpoint: 404).
  ...[
    '/v1/audit/checkpoints/latest',
    '/v1/audit/checkpoints/1',
    '/v1/audit/proofs/inclusion?eventId=no-such-event',
    '/v1/audit/proofs/consistency?from=1&to=2',
  ].map((path): RouteRow => ({
    service: 'audit',
    method: 'GET',
    path,
    allowed: [auditor],
    okStatus: [200, 404],
    forbidden: allBut(auditor),
  })),
  { service: 'audit', method: 'POST', path: '/v1/audit/verify', allowed: [auditor], forbidden: allBut(auditor) },
  // Rebuilding a sector's projections from the log: auditors only (a second start while one runs: 409).
  {
    service: 'audit',
    method: 'POST',
    path: '/v1/audit/rebuilds',
    body: () => ({ sector: 'protection' }),
    allowed: [auditor],
    okStatus: [202, 409],
    forbidden: allBut(auditor),
  },
  {
    service: 'audit',
    method: 'GET',
    path: '/v1/audit/rebuilds/00000000-0000-4000-8000-000000000000',
    allowed: [auditor],
    okStatus: 404,
    forbidden: allBut(auditor),
  },
  // What-if over the history: auditors only, versions in the repo only.
  {
    service: 'audit',
    method: 'POST',
    path: '/v1/audit/what-if',
    body: () => ({ ruleSet: 'default-v2-draft', examples: 2 }),
    allowed: [auditor],
    forbidden: allBut(auditor),
  },
  // Questioning the log: history (NDJSON), a referral as of an instant (404 when the log never saw it), disclosures.
  {
    service: 'audit',
    method: 'GET',
    path: () => `/v1/audit/history?personId=${seeded.lajasPerson}&limit=10`,
    allowed: [auditor],
    forbidden: allBut(auditor),
  },
  {
    service: 'audit',
    method: 'GET',
    path: () => `/v1/audit/referrals/${seeded.lajasReferral}/state`,
    allowed: [auditor],
    okStatus: [200, 404],
    forbidden: allBut(auditor),
  },
  {
    service: 'audit',
    method: 'GET',
    path: () => `/v1/audit/people/${seeded.lajasPerson}/disclosures`,
    allowed: [auditor],
    forbidden: allBut(auditor),
  },
  // The health sector's read side: its caseworkers (own service point) and supervisors (whole sector).
  {
    service: 'health',
    method: 'GET',
    path: '/v1/health/referrals?limit=500',
    allowed: [healthCaseworker, healthSupervisor],
    forbidden: [borderAgent, admin, auditor, coordinator],
    hidden: [protectionCaseworker, protectionSupervisor],
    sees: [
      {
        caller: healthCaseworker,
        has: () => [seeded.lajasReferral, seeded.lajasPerson],
        lacks: () => [seeded.planesReferral, seeded.planesPerson],
      },
      {
        caller: healthCaseworkerElsewhere,
        has: () => [seeded.planesReferral],
        lacks: () => [seeded.lajasReferral, seeded.lajasPerson],
      },
      {
        // Naming another service point narrows further: an empty page.
        caller: healthCaseworkerElsewhere,
        path: () => `/v1/health/referrals?servicePointId=health-lajas-blancas&personId=${seeded.lajasPerson}`,
        lacks: () => [seeded.lajasReferral, seeded.lajasPerson],
      },
      {
        caller: healthSupervisor,
        has: () => [seeded.lajasReferral, seeded.planesReferral],
        lacks: () => [],
      },
    ],
  },
  {
    service: 'health',
    method: 'GET',
    path: () => `/v1/health/decisions?personId=${seeded.lajasPerson}`,
    // Decisions are sector-level: any caseworker or supervisor of the sector.
    allowed: [healthCaseworker, healthCaseworkerElsewhere, healthSupervisor],
    forbidden: [borderAgent, admin, auditor, coordinator],
    hidden: [protectionCaseworker, protectionSupervisor],
    sees: [{ caller: healthCaseworkerElsewhere, has: () => [seeded.lajasReferral], lacks: () => [] }],
  },
  // Operators: admins only, on every service.
  ...ADMIN_SERVICES.flatMap(([service, topic]): RouteRow[] => [
    {
      service,
      method: 'GET',
      path: `/v1/admin/dead-letters?topic=${topic}`,
      allowed: [admin],
      forbidden: allBut(admin),
    },
    {
      service,
      method: 'POST',
      path: '/v1/admin/dead-letters/redrive',
      body: () => ({ topic }),
      allowed: [admin],
      forbidden: allBut(admin),
    },
    { service, method: 'GET', path: '/v1/admin/parked', allowed: [admin], forbidden: allBut(admin) },
    {
      service,
      method: 'POST',
      path: '/v1/admin/parked/retry',
      body: () => ({}),
      allowed: [admin],
      forbidden: allBut(admin),
    },
    {
      service,
      method: 'POST',
      path: '/v1/admin/parked/release',
      body: () => ({}),
      allowed: [admin],
      forbidden: allBut(admin),
    },
  ]),
  // ---- Casework routes (commands, SLA, queries) are added below as rows of the same shape. ----
  // A referral and the caseworker's lists: caseworkers of the sector (own point) and its supervisors.
  ...[
    () => `/v1/health/referrals/${seeded.lajasReferral}`,
    () => '/v1/health/queue?limit=200',
    () => '/v1/health/my-referrals',
    () => `/v1/health/people/${seeded.lajasPerson}`,
  ].map((path): RouteRow => ({
    service: 'health',
    method: 'GET',
    path,
    allowed: [healthCaseworker, healthSupervisor],
    forbidden: [borderAgent, admin, auditor, coordinator],
    hidden: [protectionCaseworker, protectionSupervisor],
  })),
  {
    service: 'health',
    method: 'GET',
    path: '/v1/health/queue?limit=200',
    allowed: [healthCaseworker],
    forbidden: [],
    sees: [
      { caller: healthCaseworker, has: () => [seeded.lajasReferral], lacks: () => [seeded.planesReferral] },
      { caller: healthCaseworkerElsewhere, has: () => [seeded.planesReferral], lacks: () => [seeded.lajasReferral] },
      { caller: healthSupervisor, has: () => [seeded.lajasReferral, seeded.planesReferral], lacks: () => [] },
    ],
  },
  // Overdue referrals: supervisors only.
  {
    service: 'health',
    method: 'GET',
    path: '/v1/health/overdue-referrals',
    allowed: [healthSupervisor],
    forbidden: [borderAgent, admin, auditor, coordinator, healthCaseworker, protectionCaseworker],
    hidden: [protectionSupervisor],
  },
  // A lifecycle command: the first allowed call accepts it, later ones meet the changed version.
  {
    service: 'health',
    method: 'POST',
    path: () => `/v1/health/referrals/${seeded.planesReferral}:accept`,
    body: () => ({}),
    headers: () => ({ 'if-match': '"1"' }),
    allowed: [healthSupervisor],
    okStatus: [200, 409, 412],
    forbidden: [borderAgent, admin, auditor, coordinator],
    hidden: [protectionCaseworker, protectionSupervisor],
  },
  // The consent override: supervisors only (the seeded decision is not deferred: 409 once through).
  {
    service: 'health',
    method: 'POST',
    path: () => `/v1/health/decisions/${seeded.decisionId}:override-consent`,
    body: () => ({ legalBasis: 'vital-interest', reason: 'vital-interest-emergency' }),
    allowed: [healthSupervisor],
    okStatus: 409,
    forbidden: [borderAgent, admin, auditor, coordinator, healthCaseworker, protectionCaseworker],
    hidden: [protectionSupervisor],
  },
];

describe('authorisation of every route, two users at a time', () => {
  let environment: TestEnvironment;
  let system: RunningSystem;
  let foreign: TestIssuer;
  let db: Client;

  beforeAll(async () => {
    environment = await createTestEnvironment('authorisation');
    system = await startSystem();
    foreign = await TestIssuer.start();
    db = new Client({ connectionString: environment.databaseUrl });
    await db.connect();
    const insert = (id: string, person: string, point: string) =>
      db.query(
        `INSERT INTO health.referrals (id, person_id, sector, type, priority, status, service_point_id, station_id,
           legal_basis, rule_set_version, decision_inputs, source_event_id, created_at, updated_at)
         VALUES ($1, $2, 'health', 'medical-care', 'urgent', 'requested', $3, 'lajas-blancas', 'consent', 'v1',
           '{"pregnant":true}', $4, now(), now())`,
        [id, person, point, randomUUID()],
      );
    await insert(seeded.lajasReferral, seeded.lajasPerson, 'health-lajas-blancas');
    await insert(seeded.planesReferral, seeded.planesPerson, 'health-los-planes');
    const { rows } = await db.query<{ id: string }>(
      `INSERT INTO health.decisions (person_id, referral_type, rule_set_version, outcome, reason, legal_basis, inputs,
         event_id, referral_id, decided_at)
       VALUES ($1, 'medical-care', 'v1', 'referred', NULL, 'consent', '{"pregnant":true}', $2, $3, now())
       RETURNING id::text AS id`,
      [seeded.lajasPerson, randomUUID(), seeded.lajasReferral],
    );
    seeded.decisionId = rows[0]!.id;
    await db.query('INSERT INTO intake.person_locks (subject) VALUES ($1)', [seeded.erasable]);
  });

  afterAll(async () => {
    await db?.end();
    await foreign?.stop();
    await system?.close();
    await environment?.teardown();
  });

  const context = (): AuthorisationContext => ({
    urls: system.urls,
    issuer: system.issuer,
    foreign,
    secrets: () => [
      seeded.lajasPerson,
      seeded.planesPerson,
      seeded.lajasReferral,
      seeded.planesReferral,
      seeded.erasable,
    ],
  });

  describeRouteAuthorisation(context, ROUTES);

  it.each([
    ['intake', '/health/live'],
    ['health', '/health/ready'],
    ['audit', '/metrics'],
    ['audit', '/v1/audit/public-key'],
    ['sector', '/docs/openapi.json'],
  ])(
    '%s serves %s without a token (RUTA_OPEN_OPS_ENDPOINTS defaults to true; the document and the public key are public)',
    async (service, path) => {
      const url = service === 'sector' ? system.urls.protection : system.urls[service as keyof RunningSystem['urls']];
      expect((await fetch(`${url}${path}`)).status).toBe(200);
    },
  );
});
