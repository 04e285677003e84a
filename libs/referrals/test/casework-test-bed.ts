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
import { sectorSchema } from '../src/sector.config';

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
  headers: Headers;
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
    readonly url: string,
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
    return new CaseworkTestBed(environment, issuer, app, dataSource, sector, sectorSchema(sector), url);
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
    return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : undefined, text };
  }

  /** A person view in routing's stored shape (facts stamped with a sequence), and a household size if given. */
  async insertPersonView(personId: string, view: Record<string, unknown>, householdSize?: number): Promise<void> {
    await this.dataSource.query(`INSERT INTO "${this.schema}".person_view (person_id, view) VALUES ($1, $2)`, [
      personId,
      JSON.stringify({ personId, lastSeq: 1, outcomes: {}, ...view }),
    ]);
    if (householdSize !== undefined) {
      await this.dataSource.query(
        `INSERT INTO "${this.schema}".household_members (person_id, head_person_id, household_size, seq)
         VALUES ($1, $1, $2, 1)`,
        [personId, householdSize],
      );
    }
  }

  async insertDecision(row: { personId: string; referralId?: string | null; outcome?: string; reason?: string }) {
    await this.dataSource.query(
      `INSERT INTO "${this.schema}".decisions (person_id, referral_type, rule_set_version, outcome, reason, legal_basis,
         inputs, event_id, referral_id)
       VALUES ($1, 'medical-care', 'v1', $2, $3, 'consent', '{}', $4, $5)`,
      [row.personId, row.outcome ?? 'referred', row.reason ?? null, randomUUID(), row.referralId ?? null],
    );
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

  /**
   * The plan PostgreSQL picks for `sql`, as text, as if the table were large: no sequential scan and
   * sorting priced out, so an index that can serve the order is taken and a Sort shows that none can.
   */
  async planAsIfLarge(sql: string, params: unknown[]): Promise<string> {
    const runner = this.dataSource.createQueryRunner();
    await runner.connect();
    try {
      await runner.startTransaction();
      await runner.query('SET LOCAL enable_seqscan = off');
      await runner.query('SET LOCAL enable_sort = off');
      const plan: { 'QUERY PLAN': string }[] = await runner.query(`EXPLAIN ${sql}`, params);
      await runner.rollbackTransaction();
      return plan.map((line) => line['QUERY PLAN']).join('\n');
    } finally {
      await runner.release();
    }
  }
}
