import { randomUUID } from 'node:crypto';
import { QueryBus } from '@nestjs/cqrs';
import type { TestCaller } from '@ruta/testing';
import { personId } from '@ruta/testing';
import { signingKey } from '../../../auth/test/test-issuer';
import { CaseworkTestBed, type Answer } from '../../test/casework-test-bed';
import type { LifecycleState } from '../domain/lifecycle/lifecycle-state';
import { slaOf } from '../domain/lifecycle/sla';
import { slaSql } from '../sla/sla-sql';
import { OPEN_STATUSES_SQL, priorityRankSql } from './queue-order';
import { ListReferralsQuery, type ReferralListItem, type ReferralPage } from './list-referrals/list-referrals.query';

const HOUR = 3_600_000;
/** An instant `hours` from the real now: the lists flag overdue referrals at the service's own clock. */
const ago = (hours: number) => new Date(Date.now() - hours * HOUR);
const ids = (items: { id: string }[]) => items.map((item) => item.id);

/**
 * The health service's casework queries over HTTP with tokens of a loopback issuer, rows written
 * straight into its tables. Each test uses service points and people of its own (tag), so the
 * tests share one database without seeing each other's rows.
 */
describe('casework queries (health): queue, my referrals, overdue, person view', () => {
  let bed: CaseworkTestBed;

  beforeAll(async () => {
    bed = await CaseworkTestBed.start('casework-queries', 'health');
  });

  afterAll(async () => {
    await bed?.close();
  });

  const tag = () => randomUUID().slice(0, 8);
  const caseworker = (servicePoint: string, sub = `cw-${tag()}`): TestCaller => ({
    sub,
    roles: ['caseworker'],
    sector: 'health',
    servicePoint,
  });
  const supervisor = (sub = `sup-${tag()}`): TestCaller => ({
    sub,
    roles: ['supervisor'],
    sector: 'health',
    servicePoint: 'health-lajas-blancas',
  });
  const as = async (caller: TestCaller, path: string): Promise<Answer> => bed.get(path, await bed.token(caller));
  const fieldsOf = (answer: Answer) => (answer.body?.errors ?? []).map((e: { field: string }) => e.field).sort();
  /** Every page of `path` (ending in `limit=n`) as `caller`, following nextCursor to the last. */
  const allPages = async (caller: TestCaller, path: string) => {
    const items: ReferralListItem[] = [];
    let pages = 0;
    for (let after: string | undefined; ;) {
      const answer = await as(caller, after ? `${path}&after=${after}` : path);
      expect({ path, status: answer.status }).toEqual({ path, status: 200 });
      pages += 1;
      items.push(...answer.body.items);
      after = answer.body.nextCursor;
      if (!after) return { pages, items };
      if (pages > 50) throw new Error('the cursor does not advance');
    }
  };

  describe('GET /v1/health/queue', () => {
    it("answers a service point's open referrals by priority then age, in pages, with their SLA flags", async () => {
      const point = `health-q-${tag()}`;
      const other = `health-q-${tag()}`;
      const seed = (priority: 'emergency' | 'urgent' | 'routine', hours: number, extra = {}) =>
        bed.insertReferral({ personId: personId(), priority, servicePointId: point, createdAt: ago(hours), ...extra });
      const routineOld = await seed('routine', 100);
      const urgentNew = await seed('urgent', 1);
      const emergencyNew = await seed('emergency', 0.5);
      const urgentOld = await seed('urgent', 80, { status: 'accepted', acknowledgedAt: ago(79), assignee: 'cw-x' });
      const emergencyOld = await seed('emergency', 2);
      const routineNew = await seed('routine', 5, { status: 'in-progress', acknowledgedAt: ago(4), assignee: 'cw-x' });
      await seed('emergency', 3, { status: 'completed', acknowledgedAt: ago(2.9), finishedAt: ago(1) });
      await seed('urgent', 3, { status: 'cancelled', closedAt: ago(2) });
      const elsewhere = await bed.insertReferral({ personId: personId(), servicePointId: other, createdAt: ago(1) });
      const order = [emergencyOld, emergencyNew, urgentOld, urgentNew, routineOld, routineNew];
      const mine = caseworker(point);

      const paged = await allPages(mine, 'queue?limit=4');
      expect(ids(paged.items)).toEqual(order);
      expect(paged.pages).toBe(2);
      expect((await allPages(mine, 'queue?limit=1')).pages).toBe(6);
      expect((await allPages(mine, 'queue?limit=6')).pages).toBe(1);

      const flags = Object.fromEntries(paged.items.map((r) => [r.id, r.sla.overdue]));
      expect(flags).toEqual({
        [emergencyOld]: 'acknowledge',
        [emergencyNew]: null,
        [urgentOld]: 'complete',
        [urgentNew]: null,
        [routineOld]: 'acknowledge',
        [routineNew]: null,
      });
      const first = paged.items[0];
      expect(Date.parse(first.sla.acknowledgeBy) - Date.parse(first.createdAt)).toBe(HOUR);
      expect(Date.parse(first.sla.completeBy) - Date.parse(first.createdAt)).toBe(24 * HOUR);

      const filtered = async (query: string) => ids((await as(mine, `queue?${query}`)).body.items);
      expect(await filtered('status=accepted')).toEqual([urgentOld]);
      expect(await filtered('unassigned=true')).toEqual([emergencyOld, emergencyNew, urgentNew, routineOld]);
      expect(await filtered('unassigned=false')).toEqual([urgentOld, routineNew]);
      expect(await filtered('overdue=true')).toEqual([emergencyOld, urgentOld, routineOld]);
      expect(await filtered('overdue=true&unassigned=true')).toEqual([emergencyOld, routineOld]);
      expect(await filtered('type=medical-care&status=in-progress')).toEqual([routineNew]);
      expect(await filtered('type=chronic-care')).toEqual([]);

      // The supervisor: any point of the sector, or all of them in one queue.
      const boss = supervisor();
      expect(ids((await allPages(boss, `queue?servicePointId=${point}&limit=5`)).items)).toEqual(order);
      expect(ids((await as(boss, `queue?servicePointId=${other}`)).body.items)).toEqual([elsewhere]);
      const sector = ids((await allPages(boss, 'queue?limit=200')).items).filter((id) =>
        [...order, elsewhere].includes(id),
      );
      expect(sector).toEqual([emergencyOld, emergencyNew, urgentOld, urgentNew, routineOld, routineNew, elsewhere]);
    });

    it("answers 404 for another point's queue or another sector's, 403 without a casework role", async () => {
      const point = `health-q-${tag()}`;
      await bed.insertReferral({ personId: personId(), servicePointId: point, createdAt: ago(1) });
      expect((await as(caseworker(point), `queue?servicePointId=health-elsewhere`)).status).toBe(404);
      expect((await as(caseworker(point), `queue?servicePointId=${point}`)).status).toBe(200);
      const protection: TestCaller = { sub: 'cw-p', roles: ['caseworker'], sector: 'protection', servicePoint: point };
      expect((await as(protection, 'queue')).status).toBe(404);
      expect((await as({ sub: 'sup-p', roles: ['supervisor'], sector: 'protection' }, 'queue')).status).toBe(404);
      expect(
        (await as({ sub: 'aud', roles: ['auditor'], sector: 'health', servicePoint: point }, 'queue')).status,
      ).toBe(403);
      expect((await as({ sub: 'cw-none', roles: ['caseworker'], sector: 'health' }, 'queue')).status).toBe(404);
      const anonymous = await bed.get('queue');
      expect(anonymous.status).toBe(401);
      expect(anonymous.text).not.toContain(point);
    });
  });

  describe('GET /v1/health/my-referrals', () => {
    it("answers the caller's referrals at their point, open ones unless a status is asked, oldest first", async () => {
      const point = `health-m-${tag()}`;
      const me = caseworker(point);
      const seed = (hours: number, extra = {}) =>
        bed.insertReferral({
          personId: personId(),
          servicePointId: point,
          assignee: me.sub,
          createdAt: ago(hours),
          ...extra,
        });
      const older = await seed(10, { status: 'accepted', acknowledgedAt: ago(9) });
      const newer = await seed(2, { status: 'on-hold', acknowledgedAt: ago(1) });
      const oldest = await seed(20, { status: 'in-progress', acknowledgedAt: ago(19) });
      const done = await seed(30, { status: 'completed', acknowledgedAt: ago(29), finishedAt: ago(5) });
      await seed(3, { assignee: 'someone-else' });
      // Assigned to me, then transferred to another point: it left my list with its point.
      await bed.insertReferral({
        personId: personId(),
        servicePointId: `health-m-${tag()}`,
        assignee: me.sub,
        createdAt: ago(4),
      });

      const paged = await allPages(me, 'my-referrals?limit=2');
      expect(ids(paged.items)).toEqual([oldest, older, newer]);
      expect(paged.pages).toBe(2);
      expect(paged.items.every((r) => r.assignee === me.sub)).toBe(true);
      expect(ids((await as(me, 'my-referrals?status=completed')).body.items)).toEqual([done]);
      expect(ids((await as(me, 'my-referrals?status=rejected')).body.items)).toEqual([]);
      expect((await as(caseworker(point), 'my-referrals')).body).toEqual({ items: [] });
    });

    it("answers a supervisor's referrals at every point of the sector", async () => {
      const boss = supervisor();
      const a = await bed.insertReferral({
        personId: personId(),
        servicePointId: `health-m-${tag()}`,
        assignee: boss.sub,
        createdAt: ago(3),
      });
      const b = await bed.insertReferral({
        personId: personId(),
        servicePointId: `health-m-${tag()}`,
        assignee: boss.sub,
        createdAt: ago(2),
      });
      expect(ids((await as(boss, 'my-referrals')).body.items)).toEqual([a, b]);
      expect((await as({ ...boss, sector: 'protection' }, 'my-referrals')).status).toBe(404);
    });
  });

  describe('GET /v1/health/overdue-referrals', () => {
    it('answers what is overdue at every point of the sector, the longest overdue first, in pages', async () => {
      const [p, q] = [`health-o-${tag()}`, `health-o-${tag()}`];
      const seed = (servicePointId: string, priority: 'emergency' | 'urgent' | 'routine', hours: number, extra = {}) =>
        bed.insertReferral({ personId: personId(), servicePointId, priority, createdAt: ago(hours), ...extra });
      const ackLate = await seed(p, 'emergency', 2); // acknowledge missed 1 h ago
      const completeLate = await seed(p, 'emergency', 30, { status: 'accepted', acknowledgedAt: ago(29.5) }); // 6 h ago
      const routineLate = await seed(q, 'routine', 80); // acknowledge missed 8 h ago
      await seed(p, 'routine', 1); // in time
      await seed(p, 'urgent', 30, { status: 'accepted', acknowledgedAt: ago(1) }); // acknowledged late, completion in time
      await seed(p, 'emergency', 30, { status: 'cancelled', closedAt: ago(29) });
      await seed(q, 'emergency', 30, { status: 'completed', acknowledgedAt: ago(29), finishedAt: ago(25) });
      const boss = supervisor();

      const atP = await allPages(boss, `overdue-referrals?servicePointId=${p}&limit=1`);
      expect(ids(atP.items)).toEqual([completeLate, ackLate]);
      expect(atP.pages).toBe(2);
      expect(atP.items.map((r) => r.sla.overdue)).toEqual(['complete', 'acknowledge']);
      const everywhere = ids((await allPages(boss, 'overdue-referrals?limit=7')).items).filter((id) =>
        [ackLate, completeLate, routineLate].includes(id),
      );
      expect(everywhere).toEqual([routineLate, completeLate, ackLate]);

      // The referral list flags the same ones and filters on them.
      const queries = bed.app.get(QueryBus);
      const listed: ReferralPage = await queries.execute(
        new ListReferralsQuery({ servicePointId: p, overdue: true }, 100),
      );
      expect(ids(listed.items).sort()).toEqual([ackLate, completeLate].sort());
      const notOverdue: ReferralPage = await queries.execute(
        new ListReferralsQuery({ servicePointId: p, overdue: false }, 100),
      );
      expect(notOverdue.items).toHaveLength(3);
      expect(notOverdue.items.every((r) => r.sla.overdue === null)).toBe(true);
    });

    it("is a supervisor's: a caseworker is refused 403, another sector's supervisor 404", async () => {
      const point = `health-o-${tag()}`;
      await bed.insertReferral({
        personId: personId(),
        servicePointId: point,
        priority: 'emergency',
        createdAt: ago(5),
      });
      expect((await as(caseworker(point), 'overdue-referrals')).status).toBe(403);
      const protection = await as({ sub: 'sup-p', roles: ['supervisor'], sector: 'protection' }, 'overdue-referrals');
      expect(protection.status).toBe(404);
      expect(protection.text).not.toContain(point);
    });
  });

  it("flags every referral as the lifecycle's slaOf does, whatever its priority, age and steps", async () => {
    const point = `health-g-${tag()}`;
    const states: Record<string, (createdHoursAgo: number) => object> = {
      open: () => ({}),
      acknowledgedInTime: (h) => ({ status: 'accepted', acknowledgedAt: ago(h - 0.5) }),
      acknowledgedLate: (h) => ({ status: 'in-progress', acknowledgedAt: ago(Math.max(h - 79, 0.1)) }),
      finished: (h) => ({
        status: 'completed',
        acknowledgedAt: ago(h - 0.5),
        finishedAt: ago(0.1),
        closedAt: ago(0.1),
      }),
      closed: (h) => ({ status: 'cancelled', closedAt: ago(h / 2) }),
    };
    const seeded = new Map<string, { priority: string; hours: number; steps: Record<string, Date> }>();
    for (const priority of ['emergency', 'urgent', 'routine'] as const) {
      for (const hours of [0.75, 2, 30, 80, 400]) {
        for (const state of Object.values(states)) {
          const steps = state(hours) as Record<string, Date>;
          const id = await bed.insertReferral({
            personId: personId(),
            priority,
            servicePointId: point,
            createdAt: ago(hours),
            ...steps,
          });
          seeded.set(id, { priority, hours, steps });
        }
      }
    }
    const page: ReferralPage = await bed.app
      .get(QueryBus)
      .execute(new ListReferralsQuery({ servicePointId: point }, 500));
    expect(page.items).toHaveLength(seeded.size);
    const now = new Date();
    const iso = (d?: Date) => (d ? d.toISOString() : null);
    for (const item of page.items) {
      const { steps } = seeded.get(item.id)!;
      const state = {
        id: item.id,
        priority: item.priority,
        requestedAt: item.createdAt,
        acknowledgedAt: iso(steps.acknowledgedAt),
        finishedAt: iso(steps.finishedAt),
        closedAt: iso(steps.closedAt),
      } as LifecycleState;
      const expected = slaOf(state, now);
      expect({ id: item.id, overdue: item.sla.overdue }).toEqual({ id: item.id, overdue: expected.overdue });
      expect(Date.parse(item.sla.acknowledgeBy)).toBe(Date.parse(expected.acknowledgeBy));
      expect(Date.parse(item.sla.completeBy)).toBe(Date.parse(expected.completeBy));
    }
    expect(new Set(page.items.map((i) => i.sla.overdue))).toEqual(new Set([null, 'acknowledge', 'complete']));
  });

  describe('GET /v1/health/people/{personId}', () => {
    it("answers the sector's facts of the person, the caller's visible referrals and their decisions", async () => {
      const [p, q] = [`health-v-${tag()}`, `health-v-${tag()}`];
      const person = personId();
      await bed.insertPersonView(
        person,
        {
          basics: { seq: 1, value: { age: 29, sex: 'female', nationality: 'VEN', languages: ['es'] } },
          station: { seq: 1, value: 'lajas-blancas' },
          indicators: { seq: 1, value: { pregnant: true } },
          incidents: { critical: false, urgent: true },
          consent: { seq: 1, value: { informationSharing: 'granted', sectors: ['health'], byGuardian: false } },
          // What no answer may carry, were it ever stored: a birth date, a name.
          birthDate: '1997-03-04',
          name: 'Maria Perez',
        },
        3,
      );
      const atP = await bed.insertReferral({
        personId: person,
        servicePointId: p,
        type: 'maternal-health',
        createdAt: ago(3),
      });
      const atQ = await bed.insertReferral({
        personId: person,
        servicePointId: q,
        type: 'medical-care',
        createdAt: ago(2),
      });
      await bed.insertDecision({ personId: person, referralId: atP });
      await bed.insertDecision({ personId: person, referralId: atQ });
      await bed.insertDecision({ personId: person, outcome: 'deferred', reason: 'consent-required' });

      const facts = {
        age: 29,
        sex: 'female',
        nationality: 'VEN',
        languages: ['es'],
        stationId: 'lajas-blancas',
        householdSize: 3,
        indicators: { pregnant: true },
        incidents: { critical: false, urgent: true },
        consent: { informationSharing: 'granted', sectors: ['health'], byGuardian: false },
      };
      const ofP = await as(caseworker(p), `people/${person}`);
      expect(ofP.status).toBe(200);
      expect(ofP.body.facts).toEqual(facts);
      expect(ids(ofP.body.referrals)).toEqual([atP]);
      expect(ofP.body.decisions.map((d: { referralId: string }) => d.referralId)).toEqual([atP]);
      expect(ofP.text).not.toMatch(/1997|Maria|birthDate/);

      const boss = await as(supervisor(), `people/${person}`);
      expect(ids(boss.body.referrals)).toEqual([atQ, atP]);
      expect(boss.body.decisions.map((d: { referralId: string }) => d.referralId)).toEqual([null, atQ, atP]);

      // A caseworker of a third point sees the sector's facts and none of the points' referrals.
      const third = await as(caseworker(`health-v-${tag()}`), `people/${person}`);
      expect(third.body).toEqual({ personId: person, facts, referrals: [], decisions: [] });
    });

    it("answers 404 when the caller sees no referral and the sector keeps no view, and to another sector's caseworker", async () => {
      const [p, q] = [`health-v-${tag()}`, `health-v-${tag()}`];
      const person = personId();
      const atQ = await bed.insertReferral({ personId: person, servicePointId: q, createdAt: ago(2) });
      expect((await as(caseworker(p), `people/${person}`)).status).toBe(404);
      const boss = await as(supervisor(), `people/${person}`);
      expect(boss.status).toBe(200);
      expect(boss.body.facts).toBeNull();
      expect(ids(boss.body.referrals)).toEqual([atQ]);
      expect((await as(caseworker(q), `people/${person}`)).status).toBe(200);
      const protection = await as(
        { sub: 'cw-p', roles: ['caseworker'], sector: 'protection', servicePoint: q },
        `people/${person}`,
      );
      expect(protection.status).toBe(404);
      expect(protection.text).not.toContain(person);
      expect((await as(supervisor(), `people/${personId()}`)).status).toBe(404);
    });
  });

  it('answers 400 naming the parameter, without repeating the value', async () => {
    const boss = supervisor();
    const cases: [string, string][] = [
      ['queue?status=completed', 'status'],
      ['queue?status=MariaPerez', 'status'],
      ['queue?unassigned=yes', 'unassigned'],
      ['queue?overdue=1', 'overdue'],
      ['queue?overdue=true&overdue=false', 'overdue'],
      ['queue?type=Maria%20Perez', 'type'],
      ['queue?servicePointId=Maria%20Perez', 'servicePointId'],
      ['queue?limit=0', 'limit'],
      ['queue?limit=201', 'limit'],
      ['queue?after=MariaPerez', 'after'],
      ['queue?MariaPerez=1', '(unknown field)'],
      ['my-referrals?status=MariaPerez', 'status'],
      ['my-referrals?limit=1.5', 'limit'],
      ['my-referrals?after=MariaPerez', 'after'],
      ['overdue-referrals?limit=MariaPerez', 'limit'],
      ['overdue-referrals?after=MariaPerez', 'after'],
      ['overdue-referrals?servicePointId=Maria%20Perez', 'servicePointId'],
      ['people/Maria%20Perez', 'personId'],
      ['people/MP', 'personId'],
    ];
    for (const [path, field] of cases) {
      const answer = await as(boss, path);
      expect({ path, status: answer.status, fields: fieldsOf(answer) }).toEqual({ path, status: 400, fields: [field] });
      expect(answer.text).not.toMatch(/Maria|yes/);
    }
    // A cursor of one list is not a cursor of another.
    for (const hours of [1, 2]) await bed.insertReferral({ personId: personId(), createdAt: ago(hours) });
    const queuePage = await as(boss, 'queue?limit=1');
    expect(queuePage.body.nextCursor).toEqual(expect.any(String));
    expect(fieldsOf(await as(boss, `my-referrals?after=${queuePage.body.nextCursor}`))).toEqual(['after']);
    expect(fieldsOf(await as(boss, `overdue-referrals?after=${queuePage.body.nextCursor}`))).toEqual(['after']);
  });

  describe('every casework route refuses whoever may not see it, and says nothing of what it holds', () => {
    const point = `health-r-${tag()}`;
    const person = personId();
    let referral: string;
    const routes = () => ['queue', 'my-referrals', 'overdue-referrals', `people/${person}`];
    const unsigned = (claims: object) =>
      [{ alg: 'none', typ: 'JWT' }, claims]
        .map((part) => Buffer.from(JSON.stringify(part)).toString('base64url'))
        .join('.') + '.';

    beforeAll(async () => {
      referral = await bed.insertReferral({
        personId: person,
        priority: 'emergency',
        servicePointId: point,
        assignee: 'cw-holder',
        createdAt: ago(5),
      });
    });

    const expectRefused = async (label: string, token: string | undefined, status: Record<string, number>) => {
      for (const route of routes()) {
        const answer = await bed.get(route, token);
        const expected = status[route.split('/')[0]!] ?? status.all;
        expect({ label, route, status: answer.status }).toEqual({ label, route, status: expected });
        expect(answer.text).not.toContain(person);
        expect(answer.text).not.toContain(referral);
        expect(answer.text).not.toContain(point);
        expect(answer.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      }
    };

    it('401 without a valid token: none, expired, signed by another key, from another issuer, alg none', async () => {
      const now = Math.floor(Date.now() / 1000);
      const claims = { sub: 'sup-1', realm_access: { roles: ['supervisor'] }, sector: 'health' };
      await expectRefused('no token', undefined, { all: 401 });
      await expectRefused('expired', await bed.issuer.token({ ...claims, iat: now - 7200, exp: now - 3600 }), {
        all: 401,
      });
      await expectRefused('another key', await bed.issuer.token(claims, await signingKey('attacker-key')), {
        all: 401,
      });
      await expectRefused(
        'another issuer',
        await bed.issuer.token({ ...claims, iss: 'http://127.0.0.1:9/realms/ruta' }),
        {
          all: 401,
        },
      );
      await expectRefused('alg none', unsigned(bed.issuer.claims(claims)), { all: 401 });
    });

    it("403 for each role outside casework (and a caseworker on the supervisors' overdue list)", async () => {
      for (const role of ['auditor', 'coordinator', 'admin', 'border-agent'] as const) {
        await expectRefused(
          role,
          await bed.token({ sub: `u-${role}`, roles: [role], sector: 'health', servicePoint: point }),
          {
            all: 403,
          },
        );
      }
      const overdue = await as(caseworker(point), 'overdue-referrals');
      expect(overdue.status).toBe(403);
      expect(overdue.text).not.toContain(referral);
    });

    it("404 for another sector's caseworker and supervisor, whatever their service point", async () => {
      const protection = { sector: 'protection' as const, servicePoint: point };
      await expectRefused(
        'protection caseworker',
        await bed.token({ sub: 'cw-p', roles: ['caseworker'], ...protection }),
        {
          all: 404,
          'overdue-referrals': 403,
        },
      );
      await expectRefused(
        'protection supervisor',
        await bed.token({ sub: 'sup-p', roles: ['supervisor'], ...protection }),
        {
          all: 404,
        },
      );
    });

    it("shows a caseworker of another point none of this point's referrals", async () => {
      const elsewhere = caseworker(`health-r-${tag()}`, 'cw-holder');
      for (const route of ['queue?limit=200', 'my-referrals?limit=200']) {
        const answer = await as(elsewhere, route);
        expect(answer.status).toBe(200);
        expect(answer.text).not.toContain(referral);
      }
      const view = await as(elsewhere, `people/${person}`);
      expect(view.status).toBe(404);
      expect(view.text).not.toContain(person);
      // The point's own caseworker sees it everywhere.
      const own = caseworker(point, 'cw-holder');
      expect(ids((await as(own, 'queue')).body.items)).toEqual([referral]);
      expect(ids((await as(own, 'my-referrals')).body.items)).toEqual([referral]);
      expect(ids((await as(own, `people/${person}`)).body.referrals)).toEqual([referral]);
    });
  });

  describe('indexes', () => {
    const rank = priorityRankSql('r.priority');
    const queue = (where: string) =>
      `SELECT r.id FROM health.referrals r WHERE r.status IN ${OPEN_STATUSES_SQL}${where}
        ORDER BY ${rank}, r.created_at, r.id LIMIT 51`;

    it.each([
      ['referrals_queue_point', queue(' AND r.service_point_id = $1'), ['health-lajas-blancas']],
      ['referrals_queue_sector', queue(''), []],
      ['referrals_queue_point', queue(` AND r.service_point_id = $1 AND r.status = $2`), ['p', 'accepted']],
    ])('serves a queue page from %s, already in queue order', async (index, sql, params) => {
      const plan = await bed.planAsIfLarge(sql, params);
      expect(plan).toContain(index);
      expect(plan).not.toMatch(/Sort|Seq Scan/);
    });

    it('finds overdue referrals through the partial indexes of running clocks', async () => {
      const overdue = slaSql('r', '$1').overdue;
      const plan = await bed.planAsIfLarge(`SELECT r.id FROM health.referrals r WHERE ${overdue}`, [new Date()]);
      expect(plan).toContain('referrals_awaiting_acknowledgement');
      expect(plan).toContain('referrals_awaiting_completion');
      expect(plan).not.toMatch(/Seq Scan/);
    });
  });
});
