import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import { getDataSourceToken } from '@nestjs/typeorm';
import type { Sector } from '@ruta/contracts';
import { MessagingService } from '@ruta/messaging';
import { createServiceApp } from '@ruta/platform';
import {
  authHeader,
  callers,
  createTestEnvironment,
  personId,
  startTestIssuer,
  type TestCaller,
  type TestEnvironment,
  type TestIssuer,
} from '@ruta/testing';
import type { DataSource } from 'typeorm';
import { SectorAppModule } from '../sector-app.module';
import { sectorSchema } from '../sector.config';

/**
 * The social-development service's read side over HTTP against its migrated schema: the referral
 * list's filters and the decisions of a person, rows written straight into the tables.
 */
describe('sector read side (social-development): referral list and decisions', () => {
  let bed: SectorReadTestBed;

  beforeAll(async () => {
    bed = await SectorReadTestBed.start('read-side', 'social-development');
  });

  afterAll(async () => {
    await bed?.close();
  });

  const minute = (n: number) => new Date(Date.parse('2026-11-02T08:00:00.000Z') + n * 60_000).toISOString();
  const fieldsOf = (answer: Answer) => (answer.body.errors ?? []).map((e: { field: string }) => e.field).sort();
  const cursorOf = (fields: unknown) => Buffer.from(JSON.stringify(fields)).toString('base64url');
  /** GET `path` is answered 400 naming just `field`, and repeats none of what the client sent. */
  const expectRefused = async (path: string, field: string) => {
    const answer = await bed.get(path);
    expect({ path, status: answer.status, fields: fieldsOf(answer) }).toEqual({ path, status: 400, fields: [field] });
    expect(answer.text).not.toMatch(/Maria|aaaaaaaa/);
  };

  describe('GET /v1/social-development/referrals', () => {
    it('shows station, status, cancellation reason and last change, times in UTC', async () => {
      const person = personId();
      const id = await bed.insertReferral({
        personId: person,
        type: 'shelter',
        status: 'cancelled',
        cancellationReason: 'person-departed',
        createdAt: '2026-11-02T03:04:05.123456-05:00',
        updatedAt: '2026-11-03T10:00:00.000001Z',
      });
      const answer = await bed.get(`referrals?personId=${person}`);
      expect(answer.status).toBe(200);
      expect(answer.body).toEqual({
        items: [
          {
            id,
            personId: person,
            sector: 'social-development',
            type: 'shelter',
            priority: 'routine',
            status: 'cancelled',
            servicePointId: 'sp-lajas-blancas',
            stationId: 'lajas-blancas',
            legalBasis: 'consent',
            ruleSetVersion: 'v1',
            decisionInputs: { pregnant: true },
            sourceEventId: expect.any(String),
            cancellationReason: 'person-departed',
            assignee: null,
            createdAt: '2026-11-02T08:04:05.123456Z',
            updatedAt: '2026-11-03T10:00:00.000001Z',
            sla: {
              acknowledgeBy: '2026-11-05T08:04:05.123456Z',
              completeBy: '2026-11-16T08:04:05.123456Z',
              overdue: null,
            },
          },
        ],
      });
    });

    it('filters by each parameter, alone and together, oldest first', async () => {
      const [ana, ben] = [personId(), personId()];
      const tag = randomUUID().slice(0, 8);
      // person, type, priority, station, service point, status (a cancelled one with its reason)
      const table: [string, string, string, string | null, string, string][] = [
        [ana, 'shelter', 'urgent', 'north', 'sp-a', 'requested'],
        [ana, 'food', 'routine', 'south', 'sp-b', 'accepted'],
        [ben, 'shelter', 'emergency', 'north', 'sp-a', 'cancelled'],
        [ben, 'food', 'urgent', null, 'sp-b', 'requested'],
        [ana, 'cash', 'urgent', 'north', 'sp-a', 'accepted'],
      ];
      const rows = table.map(([person, type, priority, station, servicePoint, status]) => ({
        personId: person,
        type: `${type}-${tag}`,
        priority,
        stationId: station && `${station}-${tag}`,
        servicePointId: `${servicePoint}-${tag}`,
        status,
        cancellationReason: status === 'cancelled' ? 'person-departed' : null,
      }));
      // Inserted newest first, so the answer's order comes from created_at, not from insertion.
      const ids: string[] = [];
      for (const [i, row] of rows.entries()) ids[i] = await bed.insertReferral({ ...row, createdAt: minute(100 - i) });
      const expectIds = async (query: string, positions: number[]) => {
        const answer = await bed.get(`referrals?${query}&limit=500`);
        expect({ query, status: answer.status, ids: answer.body.items.map((r: { id: string }) => r.id) }).toEqual({
          query,
          status: 200,
          ids: positions.map((p) => ids[p]),
        });
      };
      await expectIds(`personId=${ana}`, [4, 1, 0]);
      await expectIds(`type=shelter-${tag}`, [2, 0]);
      await expectIds(`stationId=north-${tag}`, [4, 2, 0]);
      await expectIds(`servicePointId=sp-b-${tag}`, [3, 1]);
      await expectIds(`servicePointId=sp-a-${tag}&status=accepted`, [4]);
      await expectIds(`personId=${ben}&status=cancelled`, [2]);
      await expectIds(`personId=${ana}&priority=urgent`, [4, 0]);
      await expectIds(`stationId=north-${tag}&priority=emergency&type=shelter-${tag}`, [2]);
      await expectIds(`personId=${ben}&type=cash-${tag}`, []);
    });

    it('filters by priority and status across the whole sector', async () => {
      const all: { id: string; priority: string; status: string }[] = await bed.dataSource.query(
        `SELECT id, priority, status FROM social_development.referrals ORDER BY created_at, id`,
      );
      for (const [key, value] of [
        ['priority', 'urgent'],
        ['priority', 'emergency'],
        ['status', 'accepted'],
        ['status', 'cancelled'],
      ] as const) {
        const answer = await bed.get(`referrals?${key}=${value}&limit=500`);
        expect(answer.body.items.map((r: { id: string }) => r.id)).toEqual(
          all.filter((r) => r[key] === value).map((r) => r.id),
        );
        expect(answer.body.items.length).toBeGreaterThan(0);
      }
    });

    it('pages through every referral once, in order, ties on created_at broken by id', async () => {
      const servicePoint = `sp-pages-${randomUUID().slice(0, 8)}`;
      const inserted: { id: string; createdAt: string }[] = [];
      for (let i = 0; i < 23; i++) {
        const createdAt = minute(Math.floor(i / 3)); // three referrals share each instant
        inserted.push({
          id: await bed.insertReferral({ personId: personId(), servicePointId: servicePoint, createdAt }),
          createdAt,
        });
      }
      const expected = inserted
        .sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id))
        .map((r) => r.id);
      const paged = await allPages(bed, `referrals?servicePointId=${servicePoint}&limit=4`);
      expect(paged.pages).toBe(6);
      expect(paged.items.map((r) => r.id)).toEqual(expected);
      // A last page that is exactly full carries no cursor.
      const exact = await allPages(bed, `referrals?servicePointId=${servicePoint}&limit=23`);
      expect(exact.pages).toBe(1);
    });

    it('answers 400 naming the parameter, without repeating the value', async () => {
      const cases: [string, string][] = [
        ['type=MariaPerez', 'type'],
        [`type=${'a'.repeat(65)}`, 'type'],
        ['type=shelter&type=food', 'type'],
        ['priority=MariaPerez', 'priority'],
        ['stationId=MariaPerez', 'stationId'],
        [`stationId=${'a'.repeat(65)}`, 'stationId'],
        ['status=MariaPerez', 'status'],
        ['servicePointId=Maria%20Perez', 'servicePointId'],
        ['personId=Maria%20Perez', 'personId'],
        ['limit=0', 'limit'],
        ['limit=501', 'limit'],
        [`after=${cursorOf({ id: '1' })}`, 'after'],
      ];
      for (const [query, field] of cases) await expectRefused(`referrals?${query}`, field);
    });
  });

  describe('who sees which referrals (caseworkScope, applied in SQL)', () => {
    const SECTOR = 'social-development' as const;

    it("shows a caseworker their own service point's referrals only, a supervisor every point's", async () => {
      const tag = randomUUID().slice(0, 8);
      const [own, other] = [`mides-a-${tag}`, `mides-b-${tag}`];
      const person = personId();
      const atOwn = await bed.insertReferral({ personId: person, servicePointId: own, createdAt: minute(1) });
      const atOther = await bed.insertReferral({
        personId: person,
        type: 'shelter',
        servicePointId: other,
        createdAt: minute(2),
      });
      const ids = async (query: string, caller: TestCaller) => {
        const answer = await bed.get(`referrals?${query}`, caller);
        expect(answer.status).toBe(200);
        return answer.body.items.map((r: { id: string }) => r.id);
      };
      const caseworker = callers.caseworker(SECTOR, own);
      expect(await ids(`personId=${person}`, caseworker)).toEqual([atOwn]);
      // Asking for the other point by name narrows further: an empty page, nothing of theirs.
      const asked = await bed.get(`referrals?servicePointId=${other}`, caseworker);
      expect(asked).toMatchObject({ status: 200, body: { items: [] } });
      expect(asked.text).not.toContain(atOther);
      expect(asked.text).not.toContain(person);
      expect(await ids(`servicePointId=${own}`, caseworker)).toEqual([atOwn]);
      // A supervisor of the sector: every service point, their token's point notwithstanding.
      expect(await ids(`personId=${person}`, callers.supervisor(SECTOR))).toEqual([atOwn, atOther]);
      expect(await ids(`personId=${person}`, callers.supervisor(SECTOR, own))).toEqual([atOwn, atOther]);
      // A caseworker whose token names no service point sees none.
      const unplaced: TestCaller = { sub: 'caseworker-unplaced', roles: ['caseworker'], sector: SECTOR };
      expect(await ids(`personId=${person}`, unplaced)).toEqual([]);
    });

    it("shows every caseworker of the sector a person's decisions (sector-level)", async () => {
      const person = personId();
      await bed.insertDecision({ personId: person, rule: 'shelter', outcome: 'referred' });
      for (const caller of [callers.caseworker(SECTOR, 'mides-somewhere'), callers.supervisor(SECTOR)]) {
        const answer = await bed.get(`decisions?personId=${person}`, caller);
        expect(answer.body.items).toHaveLength(1);
      }
    });
  });

  describe('GET /v1/social-development/decisions', () => {
    it("lists a person's decisions oldest first, a deferral without inputs, no one else's", async () => {
      const [person, other] = [personId(), personId()];
      const referral = randomUUID();
      const [e1, e2, e3, e4] = [randomUUID(), randomUUID(), randomUUID(), randomUUID()];
      await bed.insertDecision({
        personId: person,
        rule: 'shelter',
        outcome: 'deferred',
        reason: 'consent-required',
        eventId: e1,
        decidedAt: '2026-11-02T08:00:00.000001Z',
      });
      await bed.insertDecision({
        personId: other,
        rule: 'shelter',
        outcome: 'referred',
        inputs: { needsShelter: true },
      });
      await bed.insertDecision({
        personId: person,
        rule: 'shelter',
        outcome: 'referred',
        inputs: { needsShelter: true },
        eventId: e2,
        referralId: referral,
        decidedAt: '2026-11-02T04:00:00-05:00',
      });
      await bed.insertDecision({
        personId: person,
        rule: 'shelter',
        outcome: 'moved',
        reason: 'person-transferred',
        inputs: { stationId: 'los-planes' },
        eventId: e3,
        referralId: referral,
        decidedAt: '2026-11-03T09:00:00Z',
      });
      await bed.insertDecision({
        personId: person,
        rule: 'shelter',
        outcome: 'cancelled',
        reason: 'person-departed',
        legalBasis: 'vital-interest',
        inputs: {},
        eventId: e4,
        referralId: referral,
        decidedAt: '2026-11-04T09:00:00Z',
      });
      const answer = await bed.get(`decisions?personId=${person}`);
      expect(answer.status).toBe(200);
      const decision = {
        decisionId: expect.stringMatching(/^[1-9][0-9]*$/),
        rule: 'shelter',
        ruleSetVersion: 'v1',
        legalBasis: 'consent',
      };
      expect(answer.body).toEqual({
        items: [
          {
            ...decision,
            outcome: 'deferred',
            reason: 'consent-required',
            inputs: {},
            eventId: e1,
            referralId: null,
            decidedAt: '2026-11-02T08:00:00.000001Z',
          },
          {
            ...decision,
            outcome: 'referred',
            reason: null,
            inputs: { needsShelter: true },
            eventId: e2,
            referralId: referral,
            decidedAt: '2026-11-02T09:00:00.000000Z',
          },
          {
            ...decision,
            outcome: 'moved',
            reason: 'person-transferred',
            inputs: { stationId: 'los-planes' },
            eventId: e3,
            referralId: referral,
            decidedAt: '2026-11-03T09:00:00.000000Z',
          },
          {
            ...decision,
            outcome: 'cancelled',
            reason: 'person-departed',
            legalBasis: 'vital-interest',
            inputs: {},
            eventId: e4,
            referralId: referral,
            decidedAt: '2026-11-04T09:00:00.000000Z',
          },
        ],
      });
      expect((await bed.get(`decisions?personId=${personId()}`)).body).toEqual({ items: [] });
    });

    it('pages through every decision once, in the order they were recorded', async () => {
      const person = personId();
      const events: string[] = [];
      for (let i = 0; i < 11; i++) {
        events.push(randomUUID());
        await bed.insertDecision({ personId: person, eventId: events[i] });
        await bed.insertDecision({ personId: personId() }); // someone else's, between them
      }
      const paged = await allPages(bed, `decisions?personId=${person}&limit=3`);
      expect(paged.pages).toBe(4);
      expect(paged.items.map((d) => d.eventId)).toEqual(events);
      expect((await bed.get(`decisions?personId=${person}`)).body.items).toHaveLength(11);
      const full = await bed.get(`decisions?personId=${person}&limit=11`);
      expect(full.body.nextCursor).toBeUndefined();
    });

    it('refuses a cursor it did not hand out', async () => {
      const person = personId();
      const referralCursor = cursorOf({ createdAt: '2026-11-02T08:00:00.000000Z', id: randomUUID() });
      const garbage = [
        'AAAA',
        'not-a-cursor',
        'A'.repeat(300),
        '%2B%2F%3D',
        '',
        cursorOf({ id: 7 }),
        cursorOf({ id: '0' }),
        cursorOf({ id: '-1' }),
        cursorOf({ id: '007' }),
        cursorOf({ id: '9223372036854775808' }),
        cursorOf({ id: '1', extra: '1' }),
        cursorOf({ ID: '1' }),
        cursorOf(['1']),
        cursorOf(null),
        cursorOf('1'),
        referralCursor,
      ];
      for (const after of garbage) await expectRefused(`decisions?personId=${person}&after=${after}`, 'after');
      // A referral page's cursor is not a decisions cursor, and the reverse.
      expect(fieldsOf(await bed.get(`referrals?after=${cursorOf({ id: '12' })}`))).toEqual(['after']);
      expect((await bed.get(`referrals?after=${referralCursor}`)).status).toBe(200);
      expect(
        (await bed.get(`decisions?personId=${person}&after=${cursorOf({ id: '9223372036854775807' })}`)).body,
      ).toEqual({ items: [] });
    });

    it('answers 400 naming the parameter, without repeating the value', async () => {
      const person = personId();
      const cases: [string, string][] = [
        ['', 'personId'],
        ['limit=5', 'personId'],
        ['personId=Maria%20Perez', 'personId'],
        ['personId=MP', 'personId'],
        [`personId=${person}&personId=${person}`, 'personId'],
        [`personId=${person}&limit=0`, 'limit'],
        [`personId=${person}&limit=201`, 'limit'],
        [`personId=${person}&limit=MariaPerez`, 'limit'],
        [`personId=${person}&limit=1.5`, 'limit'],
        [`personId=${person}&after=MariaPerez`, 'after'],
        [`personId=${person}&MariaPerez=1`, '(unknown field)'],
      ];
      for (const [query, field] of cases) await expectRefused(`decisions?${query}`, field);
      expect((await bed.get(`decisions?personId=${person}&limit=200`)).status).toBe(200);
    });
  });

  describe('indexes', () => {
    // The statements the handlers send, planned as if the tables were large (no sequential scan allowed).
    const plans: [string, string, unknown[]][] = [
      ['referrals_person', 'referrals WHERE person_id = $1', ['P-1']],
      ['referrals_service_point_queue', 'referrals WHERE service_point_id = $1 AND status = $2', ['sp', 'requested']],
      ['referrals_station_queue', 'referrals WHERE station_id = $1 AND status = $2', ['lajas-blancas', 'requested']],
    ];

    it.each(plans)('serves a filtered page from %s, already in page order', async (index, from, params) => {
      const plan = await bed.planWithoutSeqScan(
        `SELECT id FROM social_development.${from} ORDER BY created_at, id LIMIT 101`,
        params,
      );
      expect(plan).toContain(index);
      expect(plan).not.toMatch(/Sort|Seq Scan/);
    });

    it("serves a person's decisions from decisions_person, already in page order", async () => {
      const plan = await bed.planWithoutSeqScan(
        `SELECT id FROM social_development.decisions WHERE person_id = $1 AND id > $2::bigint ORDER BY id LIMIT 101`,
        ['P-1', '0'],
      );
      expect(plan).toContain('decisions_person');
      expect(plan).not.toMatch(/Sort|Seq Scan/);
    });
  });
});

interface ReferralRow {
  id?: string;
  personId: string;
  type?: string;
  priority?: string;
  status?: string;
  servicePointId?: string;
  stationId?: string | null;
  cancellationReason?: string | null;
  createdAt: string;
  updatedAt?: string;
}

interface DecisionRow {
  personId: string;
  rule?: string;
  outcome?: string;
  reason?: string | null;
  legalBasis?: string;
  inputs?: Record<string, unknown>;
  eventId?: string;
  referralId?: string | null;
  decidedAt?: string;
}

/** What a GET answered: its status and parsed JSON body. */
interface Answer {
  status: number;
  body: any;
  text: string;
}

/**
 * One sector service in this process on a loopback port, with its migrated schema in a database of
 * its own, and rows written straight into its tables: the read side is tested without the consumer.
 */
class SectorReadTestBed {
  private constructor(
    private readonly issuer: TestIssuer,
    private readonly environment: TestEnvironment,
    private readonly app: INestApplication,
    readonly dataSource: DataSource,
    readonly sector: Sector,
    readonly schema: string,
    private readonly url: string,
  ) {}

  static async start(label: string, sector: Sector): Promise<SectorReadTestBed> {
    // The service verifies tokens of this loopback issuer (RUTA_AUTH_ISSUER).
    const issuer = await startTestIssuer();
    const environment = await createTestEnvironment(label);
    const app = await createServiceApp(SectorAppModule.forSector(sector));
    await app.listen(0, '127.0.0.1');
    const url = (await app.getUrl()).replace('[::1]', '127.0.0.1');
    const dataSource = app.get<DataSource>(getDataSourceToken());
    // Messaging starts in the background: closing before it settled would leave kafkajs running.
    await app.get(MessagingService).started;
    return new SectorReadTestBed(issuer, environment, app, dataSource, sector, sectorSchema(sector), url);
  }

  async close(): Promise<void> {
    await this.app?.close();
    await this.environment?.teardown();
    await this.issuer?.stop();
  }

  /** GET <path> under /v1/<sector>, e.g. get('referrals?personId=P-1'), as `caller` (the sector's supervisor). */
  async get(path: string, caller: TestCaller = callers.supervisor(this.sector)): Promise<Answer> {
    const response = await fetch(`${this.url}/v1/${this.sector}/${path}`, {
      headers: await authHeader(this.issuer, caller),
    });
    const text = await response.text();
    return { status: response.status, body: JSON.parse(text), text };
  }

  async insertReferral(row: ReferralRow): Promise<string> {
    const id = row.id ?? randomUUID();
    await this.dataSource.query(
      `INSERT INTO "${this.schema}".referrals (id, person_id, sector, type, priority, status, service_point_id, station_id,
         legal_basis, rule_set_version, decision_inputs, source_event_id, cancellation_reason, created_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'consent', 'v1', '{"pregnant":true}', $9, $10, $11, $12)`,
      [
        id,
        row.personId,
        this.sector,
        row.type ?? 'medical-care',
        row.priority ?? 'routine',
        row.status ?? 'requested',
        row.servicePointId ?? 'sp-lajas-blancas',
        row.stationId === undefined ? 'lajas-blancas' : row.stationId,
        randomUUID(),
        row.cancellationReason ?? null,
        row.createdAt,
        row.updatedAt ?? row.createdAt,
      ],
    );
    return id;
  }

  async insertDecision(row: DecisionRow): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO "${this.schema}".decisions (person_id, referral_type, rule_set_version, outcome, reason, legal_basis,
         inputs, event_id, referral_id, decided_at)
       VALUES ($1, $2, 'v1', $3, $4, $5, $6, $7, $8, $9)`,
      [
        row.personId,
        row.rule ?? 'medical-care',
        row.outcome ?? 'referred',
        row.reason ?? null,
        row.legalBasis ?? 'consent',
        JSON.stringify(row.inputs ?? {}),
        row.eventId ?? randomUUID(),
        row.referralId ?? null,
        row.decidedAt ?? new Date().toISOString(),
      ],
    );
  }

  /** The plan PostgreSQL picks for `sql` when it may not scan the table, as text. */
  async planWithoutSeqScan(sql: string, params: unknown[]): Promise<string> {
    const runner = this.dataSource.createQueryRunner();
    await runner.connect();
    try {
      await runner.startTransaction();
      await runner.query('SET LOCAL enable_seqscan = off');
      const plan: { 'QUERY PLAN': string }[] = await runner.query(`EXPLAIN ${sql}`, params);
      await runner.rollbackTransaction();
      return plan.map((line) => line['QUERY PLAN']).join('\n');
    } finally {
      await runner.release();
    }
  }
}

/** Every page of `path` (which ends in `?...&limit=n`), following nextCursor to the last. */
async function allPages(bed: SectorReadTestBed, path: string): Promise<{ pages: number; items: any[] }> {
  const items: any[] = [];
  let pages = 0;
  for (let after: string | undefined; ;) {
    const answer = await bed.get(after ? `${path}&after=${after}` : path);
    if (answer.status !== 200) throw new Error(`GET ${path} answered ${answer.status}`);
    pages += 1;
    items.push(...answer.body.items);
    after = answer.body.nextCursor;
    if (!after) return { pages, items };
    if (pages > 100) throw new Error('more than 100 pages: the cursor does not advance');
  }
}
