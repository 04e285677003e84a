import 'reflect-metadata';
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import { getDataSourceToken } from '@nestjs/typeorm';
import { Topics } from '@ruta/contracts';
import { MessagingService, type OutgoingMessage } from '@ruta/messaging';
import { createServiceApp } from '@ruta/platform';
import {
  createTestEnvironment,
  startTestIssuer,
  tokenFor,
  waitUntil,
  type TestCaller,
  type TestEnvironment,
  type TestIssuer,
} from '@ruta/testing';
import type { Producer } from 'kafkajs';
import type { DataSource } from 'typeorm';
import { AppModule } from '../src/app.module';

export interface AuditBedOptions {
  /** RUTA_AUDIT_CHECKPOINT_ENTRIES: small, so a test's few events span several checkpoints. */
  checkpointEntries?: number;
}

/**
 * audit-service in this process on a loopback port, with its migrated schema in a database of its
 * own, a signing key generated for the run, a loopback token issuer and a producer onto its topics.
 */
export class AuditTestBed {
  private constructor(
    readonly environment: TestEnvironment,
    readonly issuer: TestIssuer,
    readonly app: INestApplication,
    readonly dataSource: DataSource,
    readonly producer: Producer,
    readonly publicKey: KeyObject,
    readonly url: string,
  ) {}

  static async start(label: string, options: AuditBedOptions = {}): Promise<AuditTestBed> {
    const environment = await createTestEnvironment(label);
    const issuer = await startTestIssuer();
    const { privateKey, publicKey } = generateKeyPairSync('ed25519');
    process.env.RUTA_AUDIT_SIGNING_KEY = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    process.env.RUTA_AUDIT_CHECKPOINT_ENTRIES = String(options.checkpointEntries ?? 10_000);
    // Time-based checkpoints would land at moments a test does not choose: tests call checkpoint().
    process.env.RUTA_AUDIT_CHECKPOINT_SECONDS = '86400';
    const app = await createServiceApp(AppModule);
    await app.listen(0, '127.0.0.1');
    const url = (await app.getUrl()).replace('[::1]', '127.0.0.1');
    await app.get(MessagingService).started;
    const producer = environment.kafka.producer({ idempotent: true });
    await producer.connect();
    return new AuditTestBed(
      environment,
      issuer,
      app,
      app.get<DataSource>(getDataSourceToken()),
      producer,
      publicKey,
      url,
    );
  }

  async close(): Promise<void> {
    await this.producer?.disconnect();
    await this.app?.close();
    await this.issuer?.stop();
    await this.environment?.teardown();
    delete process.env.RUTA_AUDIT_SIGNING_KEY;
  }

  /** Publishes events on a topic of this bed's namespace, keyed by subject, as the services do. */
  async publish(events: { id: string; subject: string }[], topic: string = Topics.intakeEvents): Promise<void> {
    await this.producer.send({
      topic: `${this.environment.namespace}${topic}`,
      messages: events.map((e) => ({ key: e.subject, value: JSON.stringify(e) })),
    });
  }

  /** Publishes messages as a service's outbox relay would: each on its topic (in this bed's namespace), keyed. */
  async publishMessages(messages: readonly OutgoingMessage[]): Promise<void> {
    for (const message of messages) {
      await this.producer.send({
        topic: `${this.environment.namespace}${message.topic}`,
        messages: [{ key: message.key, value: JSON.stringify(message.value) }],
      });
    }
  }

  /** Waits until the log holds every one of these event ids. */
  async logged(eventIds: readonly string[]): Promise<void> {
    await waitUntil(async () => {
      const [row] = await this.dataSource.query(`SELECT count(*)::int AS n FROM audit.log WHERE event_id = ANY($1)`, [
        eventIds,
      ]);
      return row.n === eventIds.length ? true : undefined;
    }, `${eventIds.length} events logged`);
  }

  async logSize(): Promise<number> {
    const [row] = await this.dataSource.query(`SELECT count(*)::int AS n FROM audit.log`);
    return row.n;
  }

  token(caller: TestCaller): Promise<string> {
    return tokenFor(this.issuer, caller);
  }

  async get(path: string, caller?: TestCaller): Promise<{ status: number; body: any }> {
    return this.call('GET', path, caller);
  }

  /** POSTs `body` as JSON when given. */
  async post(path: string, caller?: TestCaller, body?: unknown): Promise<{ status: number; body: any }> {
    return this.call('POST', path, caller, body);
  }

  /** The answer as text, with its content type: for NDJSON and other answers that are not one JSON text. */
  async getText(
    path: string,
    caller?: TestCaller,
  ): Promise<{ status: number; contentType: string | null; text: string }> {
    const response = await this.fetch('GET', path, caller);
    return { status: response.status, contentType: response.headers.get('content-type'), text: await response.text() };
  }

  private async call(
    method: string,
    path: string,
    caller?: TestCaller,
    body?: unknown,
  ): Promise<{ status: number; body: any }> {
    const response = await this.fetch(method, path, caller, body);
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : undefined };
  }

  private async fetch(method: string, path: string, caller?: TestCaller, body?: unknown): Promise<Response> {
    const headers: Record<string, string> = caller ? { authorization: `Bearer ${await this.token(caller)}` } : {};
    if (body !== undefined) headers['content-type'] = 'application/json';
    return fetch(`${this.url}${path}`, {
      method,
      headers,
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
  }
}
