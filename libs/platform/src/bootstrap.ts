import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { Logger } from 'nestjs-pino';
import { CONFIG_EXIT_CODE, declaredConfig, PlatformConfig, readConfig, reportConfigFaults } from './config';
import { ProblemFilter } from './problem.filter';
import { strictValidationPipe } from './validation.pipe';

export interface ServiceHttpOptions {
  /** Largest request body accepted, in bytes. */
  bodyLimit?: number;
  /** Per-route body limits in bytes, by path as clients write it (e.g. `/v1/intake/events:batch`). */
  routeBodyLimits?: Record<string, number>;
}

/** Creates a service's Fastify application with Ruta's logging, errors and shutdown hooks. */
export async function createServiceApp(
  module: unknown,
  options: ServiceHttpOptions = {},
): Promise<NestFastifyApplication> {
  const adapter = new FastifyAdapter({ bodyLimit: options.bodyLimit ?? 1024 * 1024 });
  const routeLimits = options.routeBodyLimits ?? {};
  // Fastify writes a literal ":" in a path as "::"; limits are keyed the way clients write the path.
  adapter.getInstance().addHook('onRoute', (route) => {
    const limit = routeLimits[route.url.replace(/::/g, ':')];
    if (limit !== undefined) route.bodyLimit = limit;
  });
  // CloudEvents structured mode has its own media type; it is JSON.
  adapter
    .getInstance()
    .addContentTypeParser(
      'application/cloudevents+json',
      { parseAs: 'string' },
      adapter.getInstance().getDefaultJsonParser('error', 'ignore'),
    );
  const app = await NestFactory.create<NestFastifyApplication>(module as never, adapter, { bufferLogs: true });
  app.useLogger(app.get(Logger));
  app.useGlobalFilters(new ProblemFilter());
  app.useGlobalPipes(strictValidationPipe());
  // Orderly shutdown on the signals orchestrators send; other signals (SIGUSR2 for profilers) do not stop it.
  app.enableShutdownHooks(['SIGTERM', 'SIGINT']);
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
