import {
  contractsByType,
  REFERRAL_EVENT_CONTRACTS,
  REFERRAL_SLA_BREACHED,
  Topics,
  validateCloudEvent,
} from '@ruta/contracts';
import { MessagingService } from '@ruta/messaging';
import { personId, readWholeTopic, waitUntil } from '@ruta/testing';
import { register } from 'prom-client';
import { CaseworkTestBed } from '../../test/casework-test-bed';
import { fixedClock } from '../domain/lifecycle/clock';
import { SECTOR_CONFIG, type SectorConfig } from '../sector.config';
import { dueBreachesSql } from './sla-scan.store';
import { SLA_SCAN_BATCH, SlaScheduler } from './sla-scheduler';

const HOUR = 3_600_000;
const T0 = Date.parse('2026-11-02T08:00:00.000Z');
const at = (hours: number) => new Date(T0 + hours * HOUR);
const iso = (hours: number) => at(hours).toISOString();

/**
 * The health service's SLA scheduler against its migrated schema and the real broker: referrals are
 * written with created_at in the past and scans are given `now`, so no test waits for a deadline.
 * Each test has referrals of its own and asserts on those (a later scan also sees earlier tests' rows).
 */
describe('SLA scheduler (health)', () => {
  let bed: CaseworkTestBed;
  let scheduler: SlaScheduler;

  beforeAll(async () => {
    bed = await CaseworkTestBed.start('sla-scheduler', 'health');
    scheduler = bed.app.get(SlaScheduler);
  });

  afterAll(async () => {
    await bed?.close();
  });

  const breachesOf = async (ids: string[]) =>
    (
      (await bed.dataSource.query(
        `SELECT referral_id AS id, kind, due_at FROM health.sla_breaches WHERE referral_id = ANY($1::uuid[])
          ORDER BY due_at, referral_id, kind`,
        [ids],
      )) as { id: string; kind: string; due_at: Date }[]
    ).map((b) => ({ id: b.id, kind: b.kind, dueAt: b.due_at.toISOString() }));
  const raisedFor = (raised: { referralId: string; kind: string }[], ids: string[]) =>
    raised
      .filter((b) => ids.includes(b.referralId))
      .map((b) => `${b.referralId}:${b.kind}`)
      .sort();
  const counter = async (kind: string) =>
    (await register.getSingleMetric('ruta_sla_breaches_total')!.get()).values.find(
      (v) => v.labels.sector === 'health' && v.labels.kind === kind,
    )?.value ?? 0;

  it('raises each missed deadline once, at its priority; a re-scan raises nothing new', async () => {
    const [emergency, urgent, routine] = await Promise.all(
      (['emergency', 'urgent', 'routine'] as const).map((priority) =>
        bed.insertReferral({ personId: personId(), priority, createdAt: at(0) }),
      ),
    );
    const ids = [emergency, urgent, routine];
    const acknowledgeBefore = await counter('acknowledge');

    expect(raisedFor(await scheduler.scan(at(0.5)), ids)).toEqual([]);
    expect(raisedFor(await scheduler.scan(at(2)), ids)).toEqual([`${emergency}:acknowledge`]);
    expect(raisedFor(await scheduler.scan(at(2)), ids)).toEqual([]);
    expect(raisedFor(await scheduler.scan(at(25)), ids)).toEqual(
      [`${urgent}:acknowledge`, `${emergency}:complete`].sort(),
    );
    expect(raisedFor(await scheduler.scan(at(24 * 15)), ids)).toEqual(
      [`${routine}:acknowledge`, `${urgent}:complete`, `${routine}:complete`].sort(),
    );
    expect(raisedFor(await scheduler.scan(at(24 * 30)), ids)).toEqual([]);

    expect(await breachesOf(ids)).toEqual(
      [
        { id: emergency, kind: 'acknowledge', dueAt: iso(1) },
        { id: urgent, kind: 'acknowledge', dueAt: iso(24) },
        { id: emergency, kind: 'complete', dueAt: iso(24) },
        { id: routine, kind: 'acknowledge', dueAt: iso(72) },
        { id: urgent, kind: 'complete', dueAt: iso(72) },
        { id: routine, kind: 'complete', dueAt: iso(14 * 24) },
      ].sort((a, b) => a.dueAt.localeCompare(b.dueAt) || a.id.localeCompare(b.id) || a.kind.localeCompare(b.kind)),
    );
    expect(await counter('acknowledge')).toBeGreaterThanOrEqual(acknowledgeBefore + 3);
  });

  it('never raises a deadline met in time or stopped by a close; a late acknowledgement stays one breach', async () => {
    const inTime = await bed.insertReferral({
      personId: personId(),
      priority: 'emergency',
      createdAt: at(0),
      acknowledgedAt: at(0.5),
    });
    const finished = await bed.insertReferral({
      personId: personId(),
      priority: 'emergency',
      status: 'completed',
      createdAt: at(0),
      acknowledgedAt: at(0.5),
      finishedAt: at(10),
    });
    const closed = await bed.insertReferral({
      personId: personId(),
      priority: 'emergency',
      status: 'cancelled',
      createdAt: at(0),
      closedAt: at(0.5),
    });
    // Cancelled by routing, which on this schema writes the status but not closed_at.
    const cancelled = await bed.insertReferral({
      personId: personId(),
      priority: 'emergency',
      status: 'cancelled',
      createdAt: at(0),
    });
    const late = await bed.insertReferral({ personId: personId(), priority: 'emergency', createdAt: at(0) });
    const ids = [inTime, finished, closed, cancelled, late];

    expect(raisedFor(await scheduler.scan(at(2)), ids)).toEqual([`${late}:acknowledge`]);
    await bed.dataSource.query(`UPDATE health.referrals SET acknowledged_at = $2, status = 'accepted' WHERE id = $1`, [
      late,
      at(3),
    ]);
    expect(raisedFor(await scheduler.scan(at(4)), ids)).toEqual([]);
    // Acknowledged in time, still open past the complete deadline: that one breach, no other.
    expect(raisedFor(await scheduler.scan(at(30)), ids)).toEqual([`${inTime}:complete`, `${late}:complete`].sort());
    expect(raisedFor(await scheduler.scan(at(60)), ids)).toEqual([]);
    expect((await breachesOf(ids)).map((b) => `${b.id}:${b.kind}`).sort()).toEqual(
      [`${late}:acknowledge`, `${inTime}:complete`, `${late}:complete`].sort(),
    );
  });

  it('raises a deadline missed, then met or closed before any scan saw it, once: a scheduler that was down', async () => {
    const seed = (extra: object) =>
      bed.insertReferral({ personId: personId(), priority: 'emergency', createdAt: at(3000), ...extra });
    const lateAck = await seed({ status: 'accepted', acknowledgedAt: at(3002) });
    const lateClose = await seed({ status: 'cancelled', closedAt: at(3003) });
    const lateFinish = await seed({ status: 'completed', acknowledgedAt: at(3000.5), finishedAt: at(3030) });
    const inTime = await seed({ status: 'completed', acknowledgedAt: at(3000.5), finishedAt: at(3010) });
    const ids = [lateAck, lateClose, lateFinish, inTime];
    // A replica starting after the downtime: it looks back over the longest SLA.
    const restarted = new SlaScheduler(
      bed.dataSource,
      bed.app.get<SectorConfig>(SECTOR_CONFIG),
      fixedClock(at(3040)),
      bed.app.get(MessagingService),
    );
    expect(raisedFor(await restarted.scan(), ids)).toEqual(
      // lateAck's completion, still running, is past its deadline too.
      [`${lateAck}:acknowledge`, `${lateAck}:complete`, `${lateClose}:acknowledge`, `${lateFinish}:complete`].sort(),
    );
    expect(raisedFor(await restarted.scan(), ids)).toEqual([]);
    expect(raisedFor(await scheduler.scan(at(3040)), ids)).toEqual([]);
    expect((await breachesOf(ids)).find((b) => b.id === lateAck)).toEqual({
      id: lateAck,
      kind: 'acknowledge',
      dueAt: iso(3001),
    });
  });

  it('raises a deadline met in the seconds after it passed, between two scans', async () => {
    await scheduler.scan(at(4000));
    const id = await bed.insertReferral({ personId: personId(), priority: 'emergency', createdAt: at(3999) });
    await bed.dataSource.query(`UPDATE health.referrals SET acknowledged_at = $2, status = 'accepted' WHERE id = $1`, [
      id,
      new Date(at(4000).getTime() + 30_000),
    ]);
    expect(raisedFor(await scheduler.scan(new Date(at(4000).getTime() + 60_000)), [id])).toEqual([`${id}:acknowledge`]);
  });

  it('two schedulers scanning at once raise each breach once, over several batches', async () => {
    const count = SLA_SCAN_BATCH * 2 + 37;
    const ids: string[] = [];
    // All due at once, an hour before any earlier test's rows, so these are the scans' first batches.
    for (let i = 0; i < count; i++) {
      ids.push(await bed.insertReferral({ personId: personId(), priority: 'emergency', createdAt: at(-100) }));
    }
    // A second replica's scheduler: its own instance on the same schema, with its clock at the same instant.
    const other = new SlaScheduler(
      bed.dataSource,
      bed.app.get<SectorConfig>(SECTOR_CONFIG),
      fixedClock(at(-98)),
      bed.app.get(MessagingService),
    );
    const [a, b] = await Promise.all([scheduler.scan(at(-98)), other.scan()]);
    const raised = [...raisedFor(a, ids), ...raisedFor(b, ids)];
    expect(raised).toHaveLength(count);
    // Which replica wins each batch is the database's race (one may win them all); what is fixed is
    // that together they raise every breach, none twice.
    expect(new Set(raised).size).toBe(count);
    expect(await breachesOf(ids)).toHaveLength(count);
    expect(raisedFor(await scheduler.scan(at(-98)), ids)).toEqual([]);
  });

  it("publishes one referral.sla-breached per breach on referrals.events.v1, keyed by person, with the referral's facts only", async () => {
    const person = personId();
    const id = await bed.insertReferral({
      personId: person,
      priority: 'urgent',
      type: 'maternal-health',
      servicePointId: 'health-san-vicente',
      stationId: 'san-vicente',
      createdAt: at(1000),
    });
    await scheduler.scan(at(1000 + 73));
    const topic = bed.environment.namespace + Topics.referralEvents;
    await waitUntil(
      async () =>
        (await bed.dataSource.query(`SELECT count(*)::int AS n FROM health.outbox`))[0].n === 0 ? true : undefined,
      'the outbox relayed',
    );
    const messages = (await readWholeTopic(bed.environment.kafka, topic))
      .map((m) => ({ key: m.key?.toString(), value: JSON.parse(m.value!.toString()), text: m.value!.toString() }))
      .filter((m) => m.value.type === REFERRAL_SLA_BREACHED && m.value.data.referralId === id);
    expect(messages.map((m) => m.value.data.kind).sort()).toEqual(['acknowledge', 'complete']);
    const contracts = contractsByType(REFERRAL_EVENT_CONTRACTS);
    for (const { key, value, text } of messages) {
      expect(key).toBe(person);
      expect(validateCloudEvent(value, contracts)).toEqual({ ok: true, event: value });
      expect(value).toMatchObject({ subject: person, source: 'ruta/health-service', time: iso(1073) });
      expect(value.data).toEqual({
        referralId: id,
        personId: person,
        sector: 'health',
        referralType: 'maternal-health',
        priority: 'urgent',
        legalBasis: 'consent',
        servicePointId: 'health-san-vicente',
        stationId: 'san-vicente',
        ruleSetVersion: 'v1',
        kind: value.data.kind,
        dueAt: iso(value.data.kind === 'acknowledge' ? 1024 : 1072),
        breachedAt: iso(1073),
      });
      // The decision's inputs (an indicator) never travel with a breach.
      expect(text).not.toContain('pregnant');
    }
  });

  it('finds due breaches through the indexes of running clocks and of clocks stopped since the last scan', async () => {
    const now = at(0);
    const plan = await bed.planAsIfLarge(dueBreachesSql('health'), [now, SLA_SCAN_BATCH, at(-1), at(-24), at(-0.1)]);
    expect(plan).toContain('referrals_awaiting_acknowledgement');
    expect(plan).toContain('referrals_awaiting_completion');
    expect(plan).toContain('referrals_settled');
    expect(plan).not.toMatch(/Seq Scan/);
  });

  it('scans on its timer from bootstrap, and not once stopped', async () => {
    const due = await bed.insertReferral({ personId: personId(), priority: 'emergency', createdAt: at(4990) });
    process.env.RUTA_SLA_SCAN_INTERVAL_SECONDS = '1';
    const timed = new SlaScheduler(
      bed.dataSource,
      bed.app.get<SectorConfig>(SECTOR_CONFIG),
      fixedClock(at(5000)),
      bed.app.get(MessagingService),
    );
    process.env.RUTA_SLA_SCAN_INTERVAL_SECONDS = '3600';
    timed.onApplicationBootstrap();
    try {
      await waitUntil(async () => ((await breachesOf([due])).length === 1 ? true : undefined), 'a timed scan', 10_000);
    } finally {
      await timed.beforeApplicationShutdown();
    }
    const later = await bed.insertReferral({ personId: personId(), priority: 'emergency', createdAt: at(4995) });
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    expect(await breachesOf([later])).toEqual([]);
  });
});
