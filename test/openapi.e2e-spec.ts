import 'reflect-metadata';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { MessagingService } from '@ruta/messaging';
import { createServiceApp, OPENAPI_JSON_PATH } from '@ruta/platform';
import {
  authHeader,
  callers,
  createTestEnvironment,
  startTestIssuer,
  type TestCaller,
  type TestEnvironment,
  type TestIssuer,
} from '@ruta/testing';
import { AppModule as AuditApp } from '../apps/audit-service/src/app.module';
import { AppModule as HealthApp } from '../apps/health-service/src/app.module';
import { AppModule as IntakeApp } from '../apps/intake-gateway/src/app.module';

interface OpenApiDocument {
  openapi: string;
  info: { title: string };
  paths: Record<
    string,
    Record<string, { responses: Record<string, { content?: Record<string, unknown> }>; security?: unknown[] }>
  >;
  components: { responses: Record<string, unknown>; securitySchemes?: Record<string, unknown> };
}

/** One service of each kind, in process against the shared broker and a test database. */
const SERVICES = { gateway: IntakeApp, sector: HealthApp, audit: AuditApp };

/** Problem answers each documented route must list, by path and method. */
const EXPECTED_PROBLEMS: Record<string, string[]> = {
  'post /v1/intake/events': ['400', '401', '403', '409', '413', '415', '429'],
  'post /v1/intake/events:batch': ['400', '401', '403', '413', '415', '429'],
  'get /v1/health/referrals': ['400', '401', '403', '404'],
  'get /v1/health/decisions': ['400', '401', '403', '404'],
  'get /v1/health/referrals/{id}': ['401', '403', '404'],
  'post /v1/health/referrals/{id}:accept': ['400', '401', '403', '404', '409', '412', '422', '428'],
  'post /v1/health/referrals/{id}:refer-onward': ['400', '401', '403', '404', '409', '412', '422', '428'],
  'post /v1/health/decisions/{decisionId}:override-consent': ['400', '401', '403', '404', '409', '422'],
  'get /v1/health/queue': ['400', '401', '403', '404'],
  'get /v1/health/my-referrals': ['400', '401', '403', '404'],
  'get /v1/health/overdue-referrals': ['400', '401', '403', '404'],
  'get /v1/health/people/{personId}': ['400', '401', '403', '404'],
  'get /v1/audit/events': ['400', '401', '403'],
  'post /v1/audit/what-if': ['400', '401', '403', '422'],
  'get /v1/audit/history': ['400', '401', '403'],
  'get /v1/audit/referrals/{referralId}/state': ['400', '401', '403', '404'],
  'get /v1/audit/people/{personId}/disclosures': ['400', '401', '403'],
  'get /v1/audit/checkpoints/latest': ['401', '403', '404'],
  'get /v1/audit/proofs/inclusion': ['400', '401', '403', '404'],
  'get /v1/admin/dead-letters': ['400', '401', '403', '503'],
  'post /v1/admin/dead-letters/redrive': ['400', '401', '403', '503'],
  'get /v1/admin/parked': ['400', '401', '403'],
  'post /v1/admin/parked/retry': ['400', '401', '403'],
  'post /v1/admin/parked/release': ['400', '401', '403'],
  'get /health/ready': ['503'],
};

/**
 * Routes open without a token, which declare no security: the probes and metrics
 * (RUTA_OPEN_OPS_ENDPOINTS defaults to true) and the audit log's published public key.
 */
const OPEN_ROUTES = new Set(['get /health/live', 'get /health/ready', 'get /metrics', 'get /v1/audit/public-key']);

describe('OpenAPI document of every service kind', () => {
  let environment: TestEnvironment;
  const apps: NestFastifyApplication[] = [];
  const served: Record<string, { url: string; routes: string[] }> = {};

  let issuer: TestIssuer;

  beforeAll(async () => {
    issuer = await startTestIssuer();
    environment = await createTestEnvironment('openapi');
    for (const [kind, module] of Object.entries(SERVICES)) {
      const app = await createServiceApp(module);
      apps.push(app);
      const routes: string[] = [];
      // Nest adds its routes when the app starts: record what the router really serves.
      app
        .getHttpAdapter()
        .getInstance()
        .addHook('onRoute', (route) => {
          for (const method of [route.method].flat()) routes.push(`${method.toLowerCase()} ${route.url}`);
        });
      await app.listen(0, '127.0.0.1');
      served[kind] = { url: (await app.getUrl()).replace('[::1]', '127.0.0.1'), routes };
    }
    await Promise.all(apps.map((a) => a.get(MessagingService).started));
  });

  afterAll(async () => {
    await Promise.all(apps.map((a) => a.close()));
    await environment?.teardown();
    await issuer?.stop();
  });

  const documentOf = async (kind: string): Promise<OpenApiDocument> => {
    const response = await fetch(`${served[kind]!.url}${OPENAPI_JSON_PATH}`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    return JSON.parse(await response.text()) as OpenApiDocument;
  };

  it.each(Object.keys(SERVICES))('%s: every route it serves is in the document, with its problems', async (kind) => {
    const document = await documentOf(kind);
    expect(document.openapi).toMatch(/^3\./);
    // Titled by the service's own name (its logger's), so documents of different services are told apart.
    expect(document.info.title).toMatch(/^Ruta [a-z]+(-[a-z]+)+$/);
    expect(Object.keys(document.components.responses)).toEqual(
      expect.arrayContaining(['invalidRequest', 'notFound', 'idConflict', 'tooLarge', 'overloaded', 'notReady']),
    );
    const documented = Object.entries(document.paths).flatMap(([path, item]) =>
      Object.keys(item).map((method) => `${method} ${path}`),
    );
    // Fastify writes a literal ":" as "::" and a parameter as :name (with a pattern where a ":" follows it), the
    // document {name}; HEAD routes are Fastify's own additions; the document does not describe itself.
    const routes = served[kind]!.routes.filter((r) => !r.startsWith('head ') && !r.endsWith(OPENAPI_JSON_PATH)).map(
      (r) =>
        r
          .split('::')
          .map((part) => part.replace(/:(\w+)(\([^)]*\))?/g, '{$1}'))
          .join(':'),
    );
    expect(routes.length).toBeGreaterThan(3);
    expect([...documented].sort()).toEqual([...new Set(routes)].sort());
    // Every guarded operation names the bearer scheme and its 401; the open ones name no security.
    expect(document.components.securitySchemes).toEqual({
      bearer: expect.objectContaining({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' }),
    });
    for (const route of new Set(routes)) {
      const [method, path] = route.split(' ') as [string, string];
      const operation = document.paths[path]![method]!;
      if (OPEN_ROUTES.has(route)) {
        expect({ route, security: operation.security }).toEqual({ route, security: undefined });
      } else {
        expect({ route, security: operation.security }).toEqual({ route, security: [{ bearer: [] }] });
        expect({ route, has401: '401' in operation.responses }).toEqual({ route, has401: true });
      }
    }
    for (const route of routes.filter((r) => r in EXPECTED_PROBLEMS)) {
      const [method, path] = route.split(' ') as [string, string];
      const responses = document.paths[path]![method]!.responses;
      for (const status of EXPECTED_PROBLEMS[route]!) {
        expect({ route, status, content: Object.keys(responses[status]?.content ?? {}) }).toEqual({
          route,
          status,
          content: ['application/problem+json'],
        });
      }
    }
  });

  it('names the query filters of the sector routes and the intake body', async () => {
    const document = await documentOf('sector');
    const parameters = (path: string) =>
      ((document.paths[path]!.get as unknown as { parameters: { name: string }[] }).parameters ?? []).map(
        (p) => p.name,
      );
    expect(parameters('/v1/health/referrals').sort()).toEqual(
      ['after', 'limit', 'overdue', 'personId', 'priority', 'servicePointId', 'stationId', 'status', 'type'].sort(),
    );
    expect(parameters('/v1/health/decisions').sort()).toEqual(['after', 'limit', 'personId']);
    expect(parameters('/v1/health/queue').sort()).toEqual(
      ['after', 'limit', 'overdue', 'servicePointId', 'status', 'type', 'unassigned'].sort(),
    );
    expect(parameters('/v1/health/my-referrals').sort()).toEqual(['after', 'limit', 'status']);
    expect(parameters('/v1/health/overdue-referrals').sort()).toEqual(['after', 'limit', 'servicePointId']);
    expect(parameters('/v1/health/people/{personId}')).toEqual(['personId']);
    const intake = await documentOf('gateway');
    const body = (intake.paths['/v1/intake/events']!.post as unknown as { requestBody?: { content: object } })
      .requestBody;
    expect(Object.keys(body?.content ?? {})).toEqual(['application/json', 'application/cloudevents+json']);
  });

  it('serves the document itself without a token', async () => {
    for (const kind of Object.keys(SERVICES)) {
      const response = await fetch(`${served[kind]!.url}${OPENAPI_JSON_PATH}`);
      expect(response.status).toBe(200);
    }
  });

  it.each<[string, string, string, TestCaller]>([
    ['sector', '/v1/health/referrals', '?personId=p-openapi-check', callers.supervisor('health')],
    ['sector', '/v1/health/decisions', '?personId=p-openapi-check', callers.caseworker('health', 'health-darien')],
    ['audit', '/v1/audit/events', '?subject=p-openapi-check', callers.auditor],
  ])('%s %s: the 200 example has the members the route answers with', async (kind, path, query, caller) => {
    const document = await documentOf(kind);
    const ok = document.paths[path]!.get!.responses['200'] as {
      content: Record<string, { schema: { example: object } }>;
    };
    const example = ok.content['application/json']!.schema.example;
    const response = await fetch(`${served[kind]!.url}${path}${query}`, { headers: await authHeader(issuer, caller) });
    expect(response.status).toBe(200);
    const answer = (await response.json()) as object;
    expect(Object.keys(example)).toEqual(expect.arrayContaining(Object.keys(answer)));
    expect(Object.keys(answer)).toContain('items');
  });
});
