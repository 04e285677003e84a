import 'reflect-metadata';
import type { INestApplication } from '@nestjs/common';
import { getDataSourceToken } from '@nestjs/typeorm';
import type { CloudEvent } from '@ruta/contracts';
import { createServiceApp } from '@ruta/platform';
import {
  consentRecorded,
  createTestEnvironment,
  householdLinked,
  personId,
  personRegistered,
  startTestIssuer,
  vulnerabilityScreened,
  type TestEnvironment,
  type TestIssuer,
} from '@ruta/testing';
import { classifyFailure } from '@ruta/messaging';
import type { DataSource, EntityManager } from 'typeorm';
import { SectorAppModule } from '../../sector-app.module';
import { RouteIntakeEventsHandler } from './route-intake-events.handler';
import { HeadBusyError, RouteIntakeEventsStore } from './route-intake-events.store';

/** The store with a moment between its first look at households and its locks, where another batch may commit. */
class StoreWithAGap extends RouteIntakeEventsStore {
  constructor(private readonly gap: () => Promise<void>) {
    super('social_development', true);
  }
  protected override async lock(manager: EntityManager, people: string[]): Promise<void> {
    await this.gap();
    await super.lock(manager, people);
  }
}

/**
 * A household link and a member's registration travel on different partitions, so two batches may
 * route them at the same moment. Against real PostgreSQL: whichever commits first, the head is referred.
 */
describe('routing households across concurrent batches (social development)', () => {
  let app: INestApplication;
  let dataSource: DataSource;
  let handler: RouteIntakeEventsHandler;
  let environment: TestEnvironment;
  let issuer: TestIssuer;

  beforeAll(async () => {
    // The app verifies tokens of this loopback issuer (RUTA_AUTH_ISSUER); it needs one to boot.
    issuer = await startTestIssuer();
    environment = await createTestEnvironment('households');
    app = await createServiceApp(SectorAppModule.forSector('social-development'));
    await app.init();
    dataSource = app.get<DataSource>(getDataSourceToken());
    handler = app.get(RouteIntakeEventsHandler);
  });

  afterAll(async () => {
    await app?.close();
    await environment?.teardown();
    await issuer?.stop();
  });

  const family = () => {
    const head = personId();
    const child = personId();
    const headFacts = [
      personRegistered(head, { ageYears: 31 }),
      consentRecorded(head, ['social-development']),
      vulnerabilityScreened(head, { needsShelter: true }),
    ];
    const link = householdLinked(head, [
      { personId: head, relationship: 'head' },
      { personId: child, relationship: 'child' },
    ]);
    return { head, headFacts, link, registration: personRegistered(child, { ageYears: 6 }) };
  };

  const apply = (events: CloudEvent[]) => dataSource.transaction((manager) => handler.execute(events, manager));

  /** Runs `first` in a transaction left open while `second` starts, then commits `first`. */
  async function race(first: CloudEvent[], second: CloudEvent[]): Promise<void> {
    const runner = dataSource.createQueryRunner();
    await runner.connect();
    await runner.startTransaction();
    try {
      await handler.execute(first, runner.manager);
      const waiting = apply(second);
      // The second batch shares a person with the first: it must wait for the commit, not read around it.
      const early = await Promise.race([waiting.then(() => 'finished'), sleep(300).then(() => 'waiting')]);
      await runner.commitTransaction();
      await waiting;
      expect(early).toBe('waiting');
    } finally {
      await runner.release();
    }
  }

  const familyAssistance = async (head: string) =>
    (
      await dataSource.query(
        `SELECT count(*)::int AS n FROM social_development.referrals WHERE person_id = $1 AND type = 'family-assistance'`,
        [head],
      )
    )[0].n as number;

  it('refers the head when the link commits while the member registration waits', async () => {
    const f = family();
    await apply(f.headFacts);
    await race([f.link], [f.registration]);
    expect(await familyAssistance(f.head)).toBe(1);
  });

  it('refers the head when the member registration commits while the link waits', async () => {
    const f = family();
    await apply(f.headFacts);
    await race([f.registration], [f.link]);
    expect(await familyAssistance(f.head)).toBe(1);
  });

  it('refers the head when both batches concern people seen before (their lock rows exist)', async () => {
    const f = family();
    await apply([...f.headFacts, consentRecorded(f.registration.subject, ['health'])]);
    await race([f.link], [f.registration]);
    const g = family();
    await apply([...g.headFacts, consentRecorded(g.registration.subject, ['health'])]);
    await race([g.registration], [g.link]);
    expect([await familyAssistance(f.head), await familyAssistance(g.head)]).toEqual([1, 1]);
  });

  it('runs a batch again, as a transient failure, when a head it found late is held by another batch', async () => {
    const f = family();
    await apply(f.headFacts);
    const headBatch = dataSource.createQueryRunner();
    await headBatch.connect();
    try {
      // Between the registration's first look (no household yet) and its locks: the link commits,
      // and another batch of the head's partition takes the head.
      const store = new StoreWithAGap(async () => {
        await apply([f.link]);
        await headBatch.startTransaction();
        await handler.execute([consentRecorded(f.head, ['social-development'])], headBatch.manager);
      });
      const refused = await dataSource
        .transaction((manager) => store.load(manager, { subjects: [f.registration.subject], linkMembers: [] }))
        .then(
          () => undefined,
          (error: unknown) => error,
        );
      expect(refused).toBeInstanceOf(HeadBusyError);
      expect(classifyFailure(refused)).toBe('transient');
      await headBatch.commitTransaction();
    } finally {
      await headBatch.release();
    }
    // Run again, as the batch consumer does with a transient failure: the head is referred.
    await apply([f.registration]);
    expect(await familyAssistance(f.head)).toBe(1);
  });

  it('refers the head once whatever the order of the household events applied one by one', async () => {
    const f = family();
    await apply([f.registration]);
    await apply([f.link]);
    await apply(f.headFacts);
    const g = family();
    await apply([g.link]);
    await apply(g.headFacts);
    await apply([g.registration]);
    expect([await familyAssistance(f.head), await familyAssistance(g.head)]).toEqual([1, 1]);
    const [{ size }] = await dataSource.query(
      'SELECT household_size AS size FROM social_development.household_members WHERE person_id = $1',
      [g.registration.subject],
    );
    expect(size).toBe(2);
  });
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
