import 'reflect-metadata';
import { callers, consentRecorded, personId, personRegistered, vulnerabilityScreened } from '@ruta/testing';
import { Client } from 'pg';
import { eventually, getJson, postJson } from './http';
import { startSystemWithDatabase, type RunningSystem, type SystemWithDatabase } from './system-apps';
import { sectorSchema } from '@ruta/referrals';

type Sector = 'health' | 'social-development' | 'protection';
const SECTORS: Sector[] = ['health', 'social-development', 'protection'];

/**
 * The walking skeleton end to end: intake over HTTP, the outbox relay, Kafka, the three sector
 * services and the audit log, all against the real broker and PostgreSQL. Each check of a sector
 * waits on that sector's own inbox, never on another consumer (the audit log) as a proxy.
 */
describe('referral flow through every service', () => {
  let running: SystemWithDatabase;
  let system: RunningSystem;
  let db: Client;

  beforeAll(async () => {
    running = await startSystemWithDatabase('system');
    ({ system, db } = running);
  });

  afterAll(() => running?.close());

  /** Waits until `sector` committed every one of `events`: its inbox is written with their effects. */
  const appliedBy = async (sector: Sector, events: { id: string }[]) => {
    const ids = events.map((e) => e.id);
    await eventually(async () => {
      const { rows } = await db.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM "${sectorSchema(sector)}".inbox WHERE event_id = ANY($1::text[])`,
        [ids],
      );
      return rows[0]!.n === ids.length ? true : undefined;
    }, `${sector} to apply ${ids.length} events`);
  };
  const decisions = async (sector: Sector, person: string) =>
    (
      await db.query<{ type: string; outcome: string }>(
        `SELECT referral_type AS type, outcome FROM "${sectorSchema(sector)}".decisions WHERE person_id = $1 ORDER BY id`,
        [person],
      )
    ).rows;

  const post = async (event: unknown) =>
    postJson(`${system.urls.intake}/v1/intake/events`, event, await system.headersOf(callers.borderAgent));
  const referrals = async (sector: 'health' | 'social-development' | 'protection', person: string) => {
    const base = {
      health: system.urls.health,
      'social-development': system.urls.socialDevelopment,
      protection: system.urls.protection,
    }[sector];
    // The sector's supervisor: every service point of the sector.
    const headers = await system.headersOf(callers.supervisor(sector));
    return (await getJson(`${base}/v1/${sector}/referrals?personId=${person}`, headers)).items as {
      type: string;
      priority: string;
      servicePointId: string;
    }[];
  };
  const history = async (person: string) =>
    (await getJson(`${system.urls.audit}/v1/audit/events?subject=${person}`, await system.headersOf(callers.auditor)))
      .items as {
      topic: string;
      event: { id: string; type: string };
    }[];

  it('routes each referral to its own sector only, exactly once, and the audit log keeps the order', async () => {
    const pregnant = personId();
    const needsShelter = personId();
    const child = personId();
    const deferred = personId();
    const scenarios = {
      [pregnant]: [
        personRegistered(pregnant),
        consentRecorded(pregnant, ['health']),
        vulnerabilityScreened(pregnant, { pregnant: true, gbvRisk: true }),
      ],
      [needsShelter]: [
        personRegistered(needsShelter, { sex: 'male' }),
        consentRecorded(needsShelter, ['social-development']),
        vulnerabilityScreened(needsShelter, { needsShelter: true }),
      ],
      [child]: [personRegistered(child, { ageYears: 12 }), vulnerabilityScreened(child, { unaccompaniedChild: true })],
      // Pregnant, but no consent recorded: the health decision is deferred, no referral.
      [deferred]: [personRegistered(deferred), vulnerabilityScreened(deferred, { pregnant: true })],
    };
    for (const events of Object.values(scenarios)) {
      for (const event of events) {
        const answer = await post(event);
        expect(answer).toMatchObject({ status: 202, body: { id: event.id, status: 'accepted' } });
      }
    }
    // The same event again is stored once and said to be a duplicate.
    const again = await post(scenarios[pregnant]![2]);
    expect(again).toMatchObject({ status: 200, body: { status: 'duplicate' } });

    // Each sector has applied every event: what it has not referred by now, it never will.
    const all = Object.values(scenarios).flat();
    for (const sector of SECTORS) await appliedBy(sector, all);

    // The audit log's own checks wait on the audit log: every intake event and the three referral events.
    const expectedReferralEvents: Record<string, number> = {
      [pregnant]: 1,
      [needsShelter]: 1,
      [child]: 1,
      [deferred]: 0,
    };
    for (const [person, events] of Object.entries(scenarios)) {
      await eventually(async () => {
        const items = await history(person);
        const done = items.length === events.length + expectedReferralEvents[person]!;
        return done ? items : undefined;
      }, `audit history of ${person}`);
    }

    expect(await referrals('health', pregnant)).toEqual([
      expect.objectContaining({ type: 'maternal-health', priority: 'urgent', servicePointId: 'health-lajas-blancas' }),
    ]);
    expect(await referrals('social-development', pregnant)).toEqual([]);
    expect(await referrals('protection', pregnant)).toEqual([]);

    expect(await referrals('social-development', needsShelter)).toEqual([
      expect.objectContaining({ type: 'shelter', priority: 'urgent' }),
    ]);
    expect(await referrals('health', needsShelter)).toEqual([]);
    expect(await referrals('protection', needsShelter)).toEqual([]);

    expect(await referrals('protection', child)).toEqual([
      expect.objectContaining({ type: 'child-protection', priority: 'emergency' }),
    ]);
    expect(await referrals('health', child)).toEqual([]);
    expect(await referrals('social-development', child)).toEqual([]);

    expect(await referrals('health', deferred)).toEqual([]);
    expect(await referrals('social-development', deferred)).toEqual([]);
    expect(await referrals('protection', deferred)).toEqual([]);

    // Without consent a rule defers; protection alone sees gbvRisk, and health consent is not its own.
    expect(await decisions('health', deferred)).toEqual([{ type: 'maternal-health', outcome: 'deferred' }]);
    expect(await decisions('health', pregnant)).toEqual([{ type: 'maternal-health', outcome: 'referred' }]);
    expect(await decisions('protection', pregnant)).toEqual([{ type: 'gbv-case-management', outcome: 'deferred' }]);
    expect(await decisions('social-development', pregnant)).toEqual([]);
    expect(await decisions('protection', child)).toEqual([{ type: 'child-protection', outcome: 'referred' }]);

    // Intake events appear in the order the gateway accepted them.
    for (const [person, events] of Object.entries(scenarios)) {
      const intake = (await history(person)).filter((e) => e.topic === 'intake.events.v1');
      expect(intake.map((e) => e.event.id)).toEqual(events.map((e) => e.id));
    }
    const pregnantHistory = await history(pregnant);
    expect(pregnantHistory.filter((e) => e.topic === 'referrals.events.v1').map((e) => e.event.type)).toEqual([
      'referral.requested',
    ]);
  });

  const postAll = async (...events: { id: string }[]) => {
    for (const event of events) expect((await post(event)).status).toBe(202);
    return events;
  };

  it('refers nobody before their consent reaches the sector, then creates the deferred referral once', async () => {
    const person = personId();
    const before = await postAll(personRegistered(person), vulnerabilityScreened(person, { needsFood: true }));
    // Social development has applied the screening (its decision says so) and referred nobody.
    await appliedBy('social-development', before);
    expect(await decisions('social-development', person)).toEqual([{ type: 'food-assistance', outcome: 'deferred' }]);
    expect(await referrals('social-development', person)).toEqual([]);

    // Consent for another sector is not consent for this one.
    const otherSector = await postAll(consentRecorded(person, ['health']));
    await appliedBy('social-development', otherSector);
    expect(await referrals('social-development', person)).toEqual([]);

    const consent = await postAll(consentRecorded(person, ['social-development']));
    await appliedBy('social-development', consent);
    expect((await referrals('social-development', person)).map((r) => r.type)).toEqual(['food-assistance']);
    // A decision is recorded when the outcome changes: the other sector's consent changed nothing.
    expect(await decisions('social-development', person)).toEqual([
      { type: 'food-assistance', outcome: 'deferred' },
      { type: 'food-assistance', outcome: 'referred' },
    ]);
    // Health saw the health consent but has no rule for needsFood: nothing there either.
    await appliedBy('health', [...before, ...otherSector, ...consent]);
    expect(await referrals('health', person)).toEqual([]);
  });

  it("counts a child's consent only when a guardian recorded it", async () => {
    const child = personId();
    const before = await postAll(
      personRegistered(child, { ageYears: 10 }),
      vulnerabilityScreened(child, { needsShelter: true }),
      consentRecorded(child, ['social-development']),
    );
    await appliedBy('social-development', before);
    expect(await referrals('social-development', child)).toEqual([]);
    // Deferred once: the child's own consent did not change the outcome, so nothing more is recorded.
    expect((await decisions('social-development', child)).map((d) => d.outcome)).toEqual(['deferred']);

    const guardian = await postAll(consentRecorded(child, ['social-development'], { guardianPersonId: personId() }));
    await appliedBy('social-development', guardian);
    expect((await referrals('social-development', child)).map((r) => r.type)).toEqual(['shelter']);
  });

  it('rejects an invalid event with 400 problem+json naming each field at fault, and stores nothing', async () => {
    const person = personId();
    const event = personRegistered(person, { nationality: 'Venezuela' });
    const bad = { ...event, unexpected: true };
    const answer = await post(bad);
    expect(answer.status).toBe(400);
    expect(answer.contentType).toContain('application/problem+json');
    // A field no contract knows is not named back: its name came from the sender.
    expect(answer.body.errors.map((e: { field: string }) => e.field)).toEqual(['(unknown field)', 'data.nationality']);
    expect(JSON.stringify(answer.body)).not.toMatch(/Venezuela|unexpected/);
    // Accepted after correction: the rejected attempt left nothing behind under that id.
    expect((await post(personRegistered(person))).status).toBe(202);
  });
});
