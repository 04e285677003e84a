import 'reflect-metadata';
import type { INestApplication } from '@nestjs/common';
import { getDataSourceToken } from '@nestjs/typeorm';
import { inboxRetention, RetentionJob, RetentionService } from '@ruta/messaging';
import { createServiceApp } from '@ruta/platform';
import { createTestEnvironment, startTestIssuer, type TestEnvironment, type TestIssuer } from '@ruta/testing';
import { register } from 'prom-client';
import type { DataSource } from 'typeorm';
import { SectorAppModule } from '../sector-app.module';

/** The health service's retention job against its migrated schema, with backdated rows. */
describe('retention of the inbox and the decisions', () => {
  let environment: TestEnvironment;
  let app: INestApplication;
  let dataSource: DataSource;

  let issuer: TestIssuer;

  beforeAll(async () => {
    // The app verifies tokens of this loopback issuer (RUTA_AUTH_ISSUER); it needs one to boot.
    issuer = await startTestIssuer();
    environment = await createTestEnvironment('retention');
    app = await createServiceApp(SectorAppModule.forSector('health'));
    await app.init();
    dataSource = app.get<DataSource>(getDataSourceToken());
  });

  afterAll(async () => {
    await app?.close();
    await environment?.teardown();
    await issuer?.stop();
  });

  const inbox = (id: string, daysAgo: number) =>
    dataSource.query(
      `INSERT INTO health.inbox (event_id, processed_at) VALUES ($1, now() - make_interval(days => $2))`,
      [id, daysAgo],
    );
  const decision = (person: string, type: string, daysAgo: number, eventId: string) =>
    dataSource.query(
      `INSERT INTO health.decisions (person_id, referral_type, rule_set_version, outcome, legal_basis, inputs, event_id, decided_at)
       VALUES ($1, $2, 'v1', 'referred', 'consent', '{}', $3, now() - make_interval(days => $4))`,
      [person, type, eventId, daysAgo],
    );
  const ids = async (sql: string) => ((await dataSource.query(sql)) as { id: string }[]).map((r) => r.id).sort();

  /** Runs the service's job until this run holds the lock (the app's own timer may hold it a moment). */
  async function runRetention(): Promise<Record<string, number>> {
    const service = app.get(RetentionService);
    for (const deadline = Date.now() + 30_000; Date.now() < deadline;) {
      const deleted = await service.runOnce();
      if (deleted) return deleted;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error('the retention lock was never free');
  }

  it('indexes the time columns it deletes by', async () => {
    const indexes = await dataSource.query(`SELECT indexname FROM pg_indexes WHERE schemaname = 'health'`);
    expect(indexes.map((i: { indexname: string }) => i.indexname)).toEqual(
      expect.arrayContaining(['inbox_processed_at', 'decisions_decided_at']),
    );
  });

  it('deletes inbox rows past 14 days and decisions past 365 days, keeping the latest per person and type', async () => {
    await inbox('evt-old', 15);
    await inbox('evt-kept-13-days', 13);
    await inbox('evt-new', 0);
    await decision('p-a', 'primary-care', 400, 'evt-a1'); // old, superseded: deleted
    await decision('p-a', 'primary-care', 380, 'evt-a2'); // old but the latest of its kind: kept
    await decision('p-a', 'mental-health', 500, 'evt-a3'); // old, the only one of its kind: kept
    await decision('p-b', 'primary-care', 400, 'evt-b1'); // old, superseded: deleted
    await decision('p-b', 'primary-care', 10, 'evt-b2'); // recent: kept
    await decision('p-c', 'primary-care', 100, 'evt-c1'); // superseded but recent: kept
    await decision('p-c', 'primary-care', 50, 'evt-c2');

    expect(await runRetention()).toEqual({ inbox: 1, decisions: 2, idempotency_keys: 0 });

    expect(await ids('SELECT event_id AS id FROM health.inbox')).toEqual(['evt-kept-13-days', 'evt-new']);
    expect(await ids('SELECT event_id AS id FROM health.decisions')).toEqual(
      ['evt-a2', 'evt-a3', 'evt-b2', 'evt-c1', 'evt-c2'].sort(),
    );
    const metric = await register.getSingleMetricAsString('ruta_retention_deleted_rows_total');
    expect(metric).toContain('ruta_retention_deleted_rows_total{schema="health",table="decisions"} 2');
    expect(metric).toContain('ruta_retention_deleted_rows_total{schema="health",table="inbox"} 1');
  });

  it('deletes in bounded chunks until nothing expired is left', async () => {
    for (let i = 0; i < 5; i++) await inbox(`evt-chunk-${i}`, 20);
    const job = new RetentionJob(dataSource, 'health', { chunkSize: 2 });
    job.addTask(inboxRetention(14));
    expect(await job.runOnce()).toEqual({ inbox: 5 });
    expect(await ids(`SELECT event_id AS id FROM health.inbox WHERE event_id LIKE 'evt-chunk-%'`)).toEqual([]);
  });

  it('lets one replica run at a time: a run finding the lock held does nothing and says so', async () => {
    await inbox('evt-while-locked', 20);
    const other = dataSource.createQueryRunner();
    await other.connect();
    try {
      await other.query('SELECT pg_advisory_lock(hashtext($1))', ['ruta.retention.health']);
      const job = new RetentionJob(dataSource, 'health');
      job.addTask(inboxRetention(14));
      expect(await job.runOnce()).toBeUndefined();
      expect(await ids(`SELECT event_id AS id FROM health.inbox WHERE event_id = 'evt-while-locked'`)).toEqual([
        'evt-while-locked',
      ]);
      await other.query('SELECT pg_advisory_unlock(hashtext($1))', ['ruta.retention.health']);
      expect(await job.runOnce()).toEqual({ inbox: 1 });
    } finally {
      await other.release();
    }
  });
});
