import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import { getDataSourceToken } from '@nestjs/typeorm';
import type { Sector } from '@ruta/contracts';
import { MessagingService } from '@ruta/messaging';
import { createServiceApp } from '@ruta/platform';
import {
  createTestEnvironment,
  startTestIssuer,
  tokenFor,
  type TestCaller,
  type TestEnvironment,
  type TestIssuer,
} from '@ruta/testing';
import type { DataSource } from 'typeorm';
import { SectorAppModule } from '../src/sector-app.module';

/** A referral row as a test writes it: what it leaves out gets a plain default. */
export interface ReferralSeed {
  id?: string;
  personId: string;
  type?: string;
  priority?: 'emergency' | 'urgent' | 'routine';
  status?: string;
  servicePointId?: string;
  stationId?: string | null;
  createdAt: string | Date;
  assignee?: string | null;
  acknowledgedAt?: string | Date | null;
  finishedAt?: string | Date | null;
  closedAt?: string | Date | null;
}

/** What a GET answered: its status and parsed JSON body. */
export interface Answer {
  status: number;
  body: any;
  text: string;
}

/**
 * One sector service in this process on a loopback port, with its migrated schema in a database of
 * its own, a loopback token issuer, and rows written straight into its tables (until the lifecycle
 * commands write them). The SLA scheduler's timer is set past any test's length: tests scan with `now`.
 */
export class CaseworkTestBed {
  private constructor(
    readonly environment: TestEnvironment,
    readonly issuer: TestIssuer,
    readonly app: INestApplication,
    readonly dataSource: DataSource,
    readonly sector: Sector,
    readonly schema: string,
    private readonly url: string,
  ) {}

  static async start(label: string, sector: Sector): Promise<CaseworkTestBed> {
    const environment = await createTestEnvironment(label);
    const issuer = await startTestIssuer();
    process.env.RUTA_SLA_SCAN_INTERVAL_SECONDS = '3600';
    const app = await createServiceApp(SectorAppModule.forSector(sector));
    await app.listen(0, '127.0.0.1');
    const url = (await app.getUrl()).replace('[::1]', '127.0.0.1');
    const dataSource = app.get<DataSource>(getDataSourceToken());
    // Messaging starts in the background: closing before it settled would leave kafkajs running.
    await app.get(MessagingService).started;
    return new CaseworkTestBed(environment, issuer, app, dataSource, sector, sector.replace(/-/g, '_'), url);
  }

  async close(): Promise<void> {
    await this.app?.close();
    await this.issuer?.stop();
    await this.environment?.teardown();
  }

  token(caller: TestCaller): Promise<string> {
    return tokenFor(this.issuer, caller);
  }

  /** GET <path> under /v1/<sector> with `token` as bearer, e.g. get('queue?limit=5', token). */
  async get(path: string, token?: string): Promise<Answer> {
    const response = await fetch(`${this.url}/v1/${this.sector}/${path}`, {
      headers: token ? { authorization: `Bearer ${token}` } : {},
    });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : undefined, text };
  }

  async insertReferral(row: ReferralSeed): Promise<string> {
    const id = row.id ?? randomUUID();
    const at = (value: string | Date | null | undefined) =>
      value instanceof Date ? value.toISOString() : (value ?? null);
    await this.dataSource.query(
      `INSERT INTO "${this.schema}".referrals (id, person_id, sector, type, priority, status, service_point_id, station_id,
         legal_basis, rule_set_version, decision_inputs, source_event_id, created_at, updated_at,
         assignee, acknowledged_at, finished_at, closed_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'consent', 'v1', '{"pregnant":true}', $9, $10, $10, $11, $12, $13, $14)`,
      [
        id,
        row.personId,
        this.sector,
        row.type ?? 'medical-care',
        row.priority ?? 'routine',
        row.status ?? 'requested',
        row.servicePointId ?? `${this.sector}-lajas-blancas`,
        row.stationId === undefined ? 'lajas-blancas' : row.stationId,
        randomUUID(),
        at(row.createdAt),
        row.assignee ?? null,
        at(row.acknowledgedAt),
        at(row.finishedAt),
        at(row.closedAt),
      ],
    );
    return id;
  }
}
