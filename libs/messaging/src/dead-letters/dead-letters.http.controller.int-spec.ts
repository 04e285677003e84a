import 'reflect-metadata';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import { AuthModule } from '@ruta/auth';
import { ProblemFilter, strictValidationPipe } from '@ruta/platform';
import { callers, startTestIssuer, tokenFor, type TestIssuer } from '@ruta/testing';
import { Kafka, logLevel } from 'kafkajs';
import { MessagingService } from '../messaging.service';
import { DeadLettersHttpController } from './dead-letters.http.controller';

describe('dead-letter admin API while Kafka is away', () => {
  let app: NestFastifyApplication;
  let issuer: TestIssuer;

  beforeAll(async () => {
    // Signed in as an admin, as the route requires (the redrive records who asked).
    issuer = await startTestIssuer();
    // A real client of a port where no broker listens: what the service sees during an outage.
    const away = new Kafka({
      clientId: 'dead-letters-api-test',
      brokers: ['127.0.0.1:1'],
      logLevel: logLevel.NOTHING,
      connectionTimeout: 200,
      retry: { retries: 1, initialRetryTime: 50 },
    });
    const messaging = { kafka: away, batchConsumers: [{ topics: ['intake.events.v1'] }] };
    const moduleRef = await Test.createTestingModule({
      imports: [AuthModule.forRoot()],
      controllers: [DeadLettersHttpController],
      providers: [{ provide: MessagingService, useValue: messaging }],
    }).compile();
    app = moduleRef.createNestApplication<NestFastifyApplication>(new FastifyAdapter(), { logger: false });
    app.useGlobalFilters(new ProblemFilter());
    app.useGlobalPipes(strictValidationPipe());
    await app.init();
    await app.getHttpAdapter().getInstance().ready();
  });

  afterAll(async () => {
    await app?.close();
    await issuer?.stop();
  });

  it.each([
    ['POST', '/v1/admin/dead-letters/redrive'],
    ['GET', '/v1/admin/dead-letters?topic=intake.events.v1'],
  ] as const)('%s %s answers 503 problem+json with Retry-After, not 500', async (method, url) => {
    const response = await app.inject({
      method,
      url,
      headers: { authorization: `Bearer ${await tokenFor(issuer, callers.admin)}` },
      ...(method === 'POST' ? { payload: { topic: 'intake.events.v1' } } : {}),
    });
    expect(response.statusCode).toBe(503);
    expect(response.headers['retry-after']).toBe('30');
    expect(response.headers['content-type']).toContain('application/problem+json');
    expect(response.json()).toMatchObject({ type: 'urn:ruta:problem:kafka-unavailable', status: 503 });
  });
});
