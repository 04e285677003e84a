import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import { PARAMS_PROVIDER_TOKEN, type Params } from 'nestjs-pino';
import { PROBLEM_SCHEMA, PROBLEMS } from './problem-responses';

/** Where every service serves its OpenAPI document. */
export const OPENAPI_JSON_PATH = '/docs/openapi.json';

const DESCRIPTION =
  'Errors are RFC 9457 application/problem+json whose `type` is urn:ruta:problem:<code> (about:blank for ' +
  'framework errors such as 404 on an unknown path); 400s name the fields at fault in `errors`, never the ' +
  'values sent. Every problem is listed under components.responses. Routes that declare the bearer ' +
  'security scheme need an access token with one of their roles: 401 without a valid one, 403 without the role.';

/**
 * Serves the OpenAPI 3 document at /docs/openapi.json, built on the first request and kept.
 * No UI: on Fastify it needs @fastify/static; any OpenAPI viewer can open the JSON.
 */
export function serveOpenApi(app: INestApplication): void {
  const config = new DocumentBuilder()
    .setTitle(`Ruta ${serviceName(app)}`)
    .setDescription(DESCRIPTION)
    .setVersion('v1')
    // Routes with @Roles (libs/auth) name this scheme; /health, /metrics and this document name none.
    .addBearerAuth({
      type: 'http',
      scheme: 'bearer',
      bearerFormat: 'JWT',
      description: "an RS256 access token of the issuer in RUTA_AUTH_ISSUER (Keycloak's ruta realm)",
    })
    .build();
  SwaggerModule.setup('docs', app, () => withProblems(SwaggerModule.createDocument(app, config)), {
    ui: false,
    raw: ['json'],
    jsonDocumentUrl: OPENAPI_JSON_PATH,
  });
}

/** The service's name as its logs give it (loggerModule). */
function serviceName(app: INestApplication): string {
  const params = app.get<Params>(PARAMS_PROVIDER_TOKEN, { strict: false });
  const http = params?.pinoHttp;
  const name = http && !Array.isArray(http) ? (http as { name?: unknown }).name : undefined;
  return typeof name === 'string' ? name : 'service';
}

/** Every problem a Ruta service answers, by name, including those no single route lists (404). */
function withProblems(document: OpenAPIObject): OpenAPIObject {
  const responses = Object.fromEntries(
    Object.entries(PROBLEMS).map(([name, problem]) => [
      name,
      {
        description: `${problem.status}: ${problem.description}`,
        content: { 'application/problem+json': { schema: PROBLEM_SCHEMA as never, example: problem.example } },
      },
    ]),
  );
  return { ...document, components: { ...document.components, responses } };
}
