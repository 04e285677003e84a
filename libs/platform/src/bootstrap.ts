import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { Logger } from 'nestjs-pino';
import { CONFIG_EXIT_CODE, declaredConfig, PlatformConfig, readConfig, reportConfigFaults } from './config';
import { ProblemFilter } from './problem.filter';
import { httpTimeoutsFromEnv } from './http-timeouts';
import { serveOpenApi } from './openapi/serve-openapi';
import { readRequestJson, takesJsonText } from './request-json';
import { strictValidationPipe } from './validation.pipe';

export interface ServiceHttpOptions {
  /** Largest request body accepted, in bytes. */
  bodyLimit?: number;
  /** Per-route body limits in bytes, by path as clients write it (e.g. `/v1/intake/events:batch`). */
  routeBodyLimits?: Record<string, number>;
}

const JSON_TYPES = ['application/json', 'application/cloudevents+json'];

/** Creates a service's Fastify application with Ruta's logging, errors and shutdown hooks. */
export async function createServiceApp(
  module: unknown,
  options: ServiceHttpOptions = {},
): Promise<NestFastifyApplication> {
  const timeouts = httpTimeoutsFromEnv();
  const adapter = new FastifyAdapter({
    bodyLimit: options.bodyLimit ?? 1024 * 1024,
    // A slow client is cut off: headers and the whole request have deadlines, an idle socket too.
    requestTimeout: timeouts.requestMs,
    connectionTimeout: timeouts.idleMs,
    http: {
      headersTimeout: timeouts.headersMs,
      requestTimeout: timeouts.requestMs,
      connectionsCheckingInterval: Math.min(1000, timeouts.headersMs),
    },
  });
  const fastify = adapter.getInstance();
  const routeLimits = options.routeBodyLimits ?? {};
  // Fastify writes a literal ":" in a path as "::"; options are keyed the way clients write the path.
  fastify.addHook('onRoute', (route) => {
    const path = route.url.replace(/::/g, ':');
    const limit = routeLimits[path];
    if (limit !== undefined) route.bodyLimit = limit;
  });
  // One JSON reader for every route and both JSON media types (CloudEvents structured mode is
  // JSON): bounded while parsing, keys such as __proto__ refused alike; nothing else is parsed.
  fastify.removeAllContentTypeParsers();
  fastify.addContentTypeParser(JSON_TYPES, { parseAs: 'string' }, (request, body, done) => {
    if (takesJsonText(request.routeOptions.config)) return done(null, body);
    const read = readRequestJson(body as string);
    if (read.ok) done(null, read.value);
    else done(read.error, undefined);
  });
  const app = await NestFactory.create<NestFastifyApplication>(module as never, adapter, {
    bufferLogs: true,
    bodyParser: false,
  });
  app.useLogger(app.get(Logger));
  app.useGlobalFilters(new ProblemFilter());
  app.useGlobalPipes(strictValidationPipe());
  // Orderly shutdown on the signals orchestrators send; other signals (SIGUSR2 for profilers) do not stop it.
  app.enableShutdownHooks(['SIGTERM', 'SIGINT']);
  serveOpenApi(app);
  return app;
}

/**
 * Starts a service on PORT (or its default) and HOST (default 127.0.0.1), once every setting it
 * reads passed its rule: otherwise it names each variable at fault on stderr and exits with 78.
 * `options` may be a function, so settings it reads are read only after they were checked.
 */
export async function bootstrapService(
  module: unknown,
  defaultPort: number,
  options?: ServiceHttpOptions | (() => ServiceHttpOptions),
): Promise<INestApplication> {
  if (!reportConfigFaults(declaredConfig())) process.exit(CONFIG_EXIT_CODE);
  const platform = readConfig(PlatformConfig);
  const app = await createServiceApp(module, typeof options === 'function' ? options() : options);
  await app.listen(platform.PORT ?? defaultPort, platform.HOST);
  return app;
}
