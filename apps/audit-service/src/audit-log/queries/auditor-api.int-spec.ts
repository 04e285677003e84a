import { randomUUID } from 'node:crypto';
import type { OutgoingMessage } from '@ruta/messaging';
import type { CaseworkEvent } from '@ruta/referrals';
import { callers, consentRecorded, personId, personRegistered, sequenced, waitUntil } from '@ruta/testing';
import { AuditTestBed } from '../../../test/audit-test-bed';
import { consentOverride, happened, referralLife, type ReferralAt } from '../../../test/referral-story';

const HOUR = 3_600_000;
const { auditor } = callers;

interface Entry {
  position: string;
  eventId: string;
  type: string;
  subject: string;
  actor: string | null;
  eventTime: string | null;
  appendedAt: string;
  event: { id: string; data: Record<string, unknown> };
}
interface End {
  end: true;
  entries: number;
  nextCursor?: string;
}

const idsOf = (messages: readonly OutgoingMessage[]) => messages.map((m) => (m.value as { id: string }).id);

/**
 * The auditor's API against the real broker and PostgreSQL: a person's intake events and two
 * referrals' lives (one worked to completion and referred onward, one made by a consent override),
 * and another person's at another service point, published as their producers publish them; then
 * the history by each filter across pages, the state of a referral at several instants, the
 * person's disclosures, and the audit.accessed entry each call leaves in the log itself.
 */
describe('the auditor API', () => {
  let bed: AuditTestBed;
  const person = personId();
  const other = personId();
  const requestedAt = new Date(Math.floor((Date.now() - 10 * 24 * HOUR) / 1000) * 1000);
  const worked: ReferralAt = {
    referralId: randomUUID(),
    personId: person,
    sector: 'health',
    type: 'medical-care',
    servicePointId: 'health-lajas-blancas',
    requestedAt,
  };
  const overridden: ReferralAt = {
    ...worked,
    referralId: randomUUID(),
    sector: 'protection',
    type: 'child-protection',
    servicePointId: 'protection-lajas-blancas',
    requestedAt: new Date(requestedAt.getTime() + 5 * HOUR),
  };
  const elsewhere: ReferralAt = {
    ...worked,
    referralId: randomUUID(),
    personId: other,
    servicePointId: 'health-los-planes',
  };
  const casework: CaseworkEvent[] = [
    { ...happened(worked, 1, 'cw-ana'), type: 'referral.accepted', assignee: 'cw-ana' },
    { ...happened(worked, 2, 'cw-ana'), type: 'referral.started' },
    {
      ...happened(worked, 3, 'cw-ana'),
      type: 'referral.referred-onward',
      personId: person,
      fromSector: 'health',
      toSector: 'protection',
      onwardReferralType: 'child-protection',
      legalBasis: 'best-interests-of-child',
      reason: { code: 'protection-concern', note: null },
    },
    { ...happened(worked, 4, 'cw-ana'), type: 'referral.completed', outcome: { code: 'service-provided', note: null } },
  ];
  const intake = [sequenced(personRegistered(person), 1), sequenced(consentRecorded(person, ['health']), 2)];
  const life = referralLife(worked, casework);
  const override = consentOverride(overridden);
  const otherIntake = [sequenced(personRegistered(other), 1)];
  const otherLife = referralLife(elsewhere, []);
  const personIds = [...intake.map((e) => e.id), ...idsOf(life.messages), ...idsOf(override)];
  const everyId = [...personIds, ...otherIntake.map((e) => e.id), ...idsOf(otherLife.messages)];

  beforeAll(async () => {
    bed = await AuditTestBed.start('auditor-api');
    await bed.publish([...intake, ...otherIntake]);
    await bed.publishMessages([...life.messages, ...override, ...otherLife.messages]);
    await bed.logged(everyId);
  });

  afterAll(async () => {
    await bed?.close();
  });

  /** Every line of an NDJSON answer, parsed: entries, then the end line. */
  async function ndjson(path: string): Promise<{ entries: Entry[]; end: End }> {
    const { status, contentType, text } = await bed.getText(path, auditor);
    expect({ status, contentType }).toEqual({ status: 200, contentType: 'application/x-ndjson' });
    expect(text.endsWith('\n')).toBe(true);
    const lines = text
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line));
    const end = lines.pop() as End;
    expect(end).toMatchObject({ end: true, entries: lines.length });
    return { entries: lines as Entry[], end };
  }

  /** Every entry of a history, page after page by its cursor, each page at most `limit` entries. */
  async function wholeHistory(query: string, limit: number): Promise<{ entries: Entry[]; pages: number }> {
    const entries: Entry[] = [];
    let after: string | undefined;
    for (let pages = 1; ; pages++) {
      const page = await ndjson(`/v1/audit/history?${query}&limit=${limit}${after ? `&after=${after}` : ''}`);
      expect(page.entries.length).toBeLessThanOrEqual(limit);
      entries.push(...page.entries);
      if (!page.end.nextCursor) return { entries, pages };
      expect(page.end.nextCursor).toBe(page.entries.at(-1)!.position);
      after = page.end.nextCursor;
    }
  }

  const inPositionOrder = (entries: Entry[]) => {
    const positions = entries.map((e) => BigInt(e.position));
    return positions.every((p, i) => i === 0 || p > positions[i - 1]!);
  };

  describe('history, streamed as NDJSON with a cursor', () => {
    it("gives a person's entries, exactly, in position order across pages", async () => {
      const { entries, pages } = await wholeHistory(`personId=${person}`, 3);
      expect(pages).toBe(Math.ceil(personIds.length / 3));
      expect(entries.map((e) => e.eventId).sort()).toEqual([...personIds].sort());
      expect(inPositionOrder(entries)).toBe(true);
      // Each entry carries the event its stored bytes hold, and the log's own columns.
      const accepted = entries.find((e) => e.type === 'referral.accepted')!;
      expect(accepted).toMatchObject({
        subject: person,
        actor: 'cw-ana',
        eventTime: happened(worked, 1, 'cw-ana').at,
        event: {
          id: accepted.eventId,
          data: { referralId: worked.referralId, acceptedAt: happened(worked, 1, '').at },
        },
      });
    });

    it("gives a referral's entries and a service point's, and nobody else's", async () => {
      const referral = await wholeHistory(`referralId=${worked.referralId}`, 2);
      // The onward referral travels on a topic of its own: its place among the others is the log's to give.
      expect(referral.entries.map((e) => e.eventId).sort()).toEqual(idsOf(life.messages).sort());
      expect(inPositionOrder(referral.entries)).toBe(true);
      const point = await wholeHistory(`servicePointId=${elsewhere.servicePointId}`, 1000);
      expect(point.entries.map((e) => e.eventId)).toEqual(idsOf(otherLife.messages));
      expect(point.pages).toBe(1);
    });

    it('gives the entries appended in a time range, from inclusive and to exclusive', async () => {
      const everything = (await wholeHistory(`personId=${person}`, 1000)).entries;
      const times = everything.map((e) => Date.parse(e.appendedAt));
      const from = new Date(Math.min(...times)).toISOString();
      const to = new Date(Math.max(...times) + 1).toISOString();
      const { entries } = await wholeHistory(`from=${from}&to=${to}`, 4);
      expect(inPositionOrder(entries)).toBe(true);
      // Everything this file published was appended between the person's first and last entry, or with them.
      const inRange = entries.map((e) => e.eventId);
      expect(inRange).toEqual(expect.arrayContaining(personIds));
      expect(inRange.every((id) => everyId.includes(id))).toBe(true);
      const last = new Date(Math.max(...times)).toISOString();
      const before = await ndjson(`/v1/audit/history?from=${from}&to=${last}`);
      expect(before.entries.every((e) => Date.parse(e.appendedAt) < Date.parse(last))).toBe(true);
    });

    it('streams an answer longer than one page of SQL, and stops at its limit with a cursor', async () => {
      const crowded = personId();
      const many = Array.from({ length: 1100 }, (_, i) => sequenced(personRegistered(crowded), i + 1));
      await bed.publish(many);
      await bed.logged(many.map((e) => e.id));
      const first = await ndjson(`/v1/audit/history?personId=${crowded}&limit=1050`);
      expect(first.end).toEqual({ end: true, entries: 1050, nextCursor: first.entries.at(-1)!.position });
      const rest = await ndjson(`/v1/audit/history?personId=${crowded}&after=${first.end.nextCursor}`);
      expect(rest.end).toEqual({ end: true, entries: 50 });
      const all = [...first.entries, ...rest.entries];
      expect(inPositionOrder(all)).toBe(true);
      expect(new Set(all.map((e) => e.eventId))).toEqual(new Set(many.map((e) => e.id)));
    });

    it('answers 400 naming the field: no filter, two, half a range, a bad cursor or limit', async () => {
      const fields = async (query: string) => {
        const { status, body } = await bed.get(`/v1/audit/history?${query}`, auditor);
        expect({ query, status, type: body.type }).toEqual({
          query,
          status: 400,
          type: 'urn:ruta:problem:invalid-request',
        });
        return body.errors.map((e: { field: string }) => e.field);
      };
      expect(await fields('limit=5')).toEqual(['personId', 'referralId', 'servicePointId', 'from']);
      expect(await fields(`personId=${person}&referralId=${worked.referralId}`)).toEqual(['personId', 'referralId']);
      expect(await fields('from=2026-11-01T00:00:00Z')).toEqual(['to']);
      expect(await fields('to=2026-11-01T00:00:00Z')).toEqual(['from']);
      expect(await fields('from=2026-11-02T00:00:00Z&to=2026-11-01T00:00:00Z')).toEqual(['to']);
      expect(await fields('from=2024-01-01T00:00:00Z&to=2026-11-01T00:00:00Z')).toEqual(['to']);
      expect(await fields('from=yesterday&to=2026-11-01T00:00:00Z')).toEqual(['from']);
      expect(await fields('from=2026-11-01T00:00:00&to=2026-11-02T00:00:00Z')).toEqual(['from']);
      expect(await fields(`personId=${person}&after=-1`)).toEqual(['after']);
      expect(await fields(`personId=${person}&limit=10001`)).toEqual(['limit']);
      expect(await fields('referralId=not-a-uuid')).toEqual(['referralId']);
      expect(await fields(`personId=${person}&includeAccesses=yes`)).toEqual(['includeAccesses']);
    });
  });

  describe('a referral as of an instant', () => {
    const stateAt = (asOf?: string) =>
      bed.get(`/v1/audit/referrals/${worked.referralId}/state${asOf ? `?asOf=${asOf}` : ''}`, auditor);

    it('is not found before it was requested', async () => {
      const { status, body } = await stateAt(new Date(requestedAt.getTime() - 1).toISOString());
      expect(status).toBe(404);
      expect(body).toMatchObject({ type: 'urn:ruta:problem:audit.not-found', status: 404 });
      expect((await bed.get(`/v1/audit/referrals/${randomUUID()}/state`, auditor)).status).toBe(404);
    });

    it('is what each event made it, by the events’ own time', async () => {
      const at = (hours: number) => happened(worked, hours, '').at;
      expect((await stateAt(requestedAt.toISOString())).body).toMatchObject({
        referralId: worked.referralId,
        personId: person,
        status: 'requested',
        assignee: null,
        events: 1,
      });
      expect((await stateAt(new Date(Date.parse(at(1)) + 60_000).toISOString())).body).toMatchObject({
        status: 'accepted',
        assignee: 'cw-ana',
        acceptedAt: at(1),
        events: 2,
      });
      const completed = (await stateAt(at(4))).body;
      expect(completed).toMatchObject({ status: 'completed', outcome: 'service-provided', closedAt: at(4), events: 5 });
      // The lifecycle's own state after the last event, as the sector computed it when it published.
      const last = life.states.at(-1)!;
      expect(completed).toMatchObject({
        sector: last.sector,
        type: last.type,
        priority: last.priority,
        servicePointId: last.servicePointId,
        legalBasis: last.legalBasis,
        requestedAt: last.requestedAt,
        startedAt: last.startedAt,
        finishedAt: last.finishedAt,
      });
      // Now, by default: the same, and the position of the last event folded.
      const now = (await stateAt()).body;
      expect(now).toMatchObject({ status: 'completed', events: 5 });
      const [row] = await bed.dataSource.query(
        `SELECT max(position)::text AS position FROM audit.log WHERE event_id = ANY($1)`,
        [idsOf(life.messages)],
      );
      expect(now.lastPosition).toBe(row.position);
    });

    it('answers 400 naming a bad referral id or instant', async () => {
      const bad = await bed.get('/v1/audit/referrals/R-1/state', auditor);
      expect({ status: bad.status, fields: bad.body.errors.map((e: { field: string }) => e.field) }).toEqual({
        status: 400,
        fields: ['referralId'],
      });
      const instant = await stateAt('29/11/2026');
      expect(instant.body.errors.map((e: { field: string }) => e.field)).toEqual(['asOf']);
    });
  });

  describe("a person's disclosures", () => {
    it('names each sector that received the case, what, when and on which basis, in log order', async () => {
      const { status, body } = await bed.get(`/v1/audit/people/${person}/disclosures`, auditor);
      expect(status).toBe(200);
      expect(body.nextCursor).toBeUndefined();
      const positions = body.items.map((d: { position: string }) => BigInt(d.position));
      expect(positions).toEqual([...positions].sort((a, b) => (a < b ? -1 : 1)));
      const onwardAt = happened(worked, 3, '').at;
      expect(body.items).toEqual(
        expect.arrayContaining([
          expect.objectContaining({
            kind: 'referral',
            sector: 'health',
            referralId: worked.referralId,
            referralType: 'medical-care',
            legalBasis: 'consent',
            disclosedAt: requestedAt.toISOString(),
          }),
          expect.objectContaining({
            kind: 'onward-referral',
            sector: 'protection',
            fromSector: 'health',
            referralId: worked.referralId,
            referralType: 'child-protection',
            legalBasis: 'best-interests-of-child',
            disclosedAt: onwardAt,
          }),
          expect.objectContaining({
            kind: 'consent-override',
            sector: 'protection',
            referralId: overridden.referralId,
            legalBasis: 'vital-interest',
          }),
          expect.objectContaining({ kind: 'referral', sector: 'protection', referralId: overridden.referralId }),
        ]),
      );
      expect(body.items).toHaveLength(4);
      const first = await bed.get(`/v1/audit/people/${person}/disclosures?limit=3`, auditor);
      expect(first.body.items).toEqual(body.items.slice(0, 3));
      const rest = await bed.get(`/v1/audit/people/${person}/disclosures?after=${first.body.nextCursor}`, auditor);
      expect(rest.body.items).toEqual(body.items.slice(3));
      // Another person's disclosures are theirs alone.
      const theirs = await bed.get(`/v1/audit/people/${other}/disclosures`, auditor);
      expect(theirs.body.items.map((d: { referralId: string }) => d.referralId)).toEqual([elsewhere.referralId]);
    });

    it('answers 400 naming a bad person id or limit', async () => {
      const bad = await bed.get(`/v1/audit/people/${person}/disclosures?limit=0`, auditor);
      expect(bad.body.errors.map((e: { field: string }) => e.field)).toEqual(['limit']);
      const person400 = await bed.get('/v1/audit/people/x/disclosures', auditor);
      expect(person400.body.errors.map((e: { field: string }) => e.field)).toEqual(['personId']);
    });
  });

  describe('every auditor call is itself logged', () => {
    /** The audit.accessed entries of a subject that match, once the log holds `count` of them. */
    /** The audit.accessed entries of a subject (a person, or audit-reads: it is one too) that match, once there. */
    const accesses = (subject: string, match: (e: Entry) => boolean) =>
      waitUntil(async () => {
        const { entries } = await ndjson(`/v1/audit/history?personId=${subject}&includeAccesses=true`);
        const found = entries.filter((e) => e.type === 'audit.accessed' && match(e));
        return found.length > 0 ? found : undefined;
      }, `audit.accessed entries of ${subject}`);

    it("logs a read naming a person under that person, with the auditor's subject as actor", async () => {
      await bed.get(`/v1/audit/people/${person}/disclosures?limit=2`, auditor);
      const [entry] = await accesses(
        person,
        (e) =>
          e.event.data.route === 'GET /v1/audit/people/:personId/disclosures' &&
          (e.event.data.parameters as { limit?: string }).limit === '2',
      );
      expect(entry).toMatchObject({
        subject: person,
        actor: auditor.sub,
        event: {
          data: {
            actor: auditor.sub,
            personId: person,
            parameters: { limit: '2' },
            status: 200,
          },
        },
      });
      // The person's own history leaves the reads out unless asked.
      const plain = await ndjson(`/v1/audit/history?personId=${person}`);
      expect(plain.entries.some((e) => e.type === 'audit.accessed')).toBe(false);
    });

    it('logs the existing routes too, a not-found included, and a read naming nobody under audit-reads', async () => {
      await bed.get(`/v1/audit/events?subject=${person}&limit=5`, auditor);
      await bed.get(`/v1/audit/referrals/${overridden.referralId}/state?asOf=2020-01-01T00:00:00Z`, auditor);
      await bed.post('/v1/audit/verify', auditor);
      const events = await accesses(person, (e) => e.event.data.route === 'GET /v1/audit/events');
      expect(events[0]!.event.data).toMatchObject({ personId: person, parameters: { limit: '5' }, status: 200 });
      // The events route pages a person's events as it did before reads were logged: without them.
      const listed = await bed.get(`/v1/audit/events?subject=${person}&limit=1000`, auditor);
      expect(listed.body.items.map((i: { event: { id: string } }) => i.event.id).sort()).toEqual([...personIds].sort());
      const [state] = await accesses('audit-reads', (e) => e.event.data.referralId === overridden.referralId);
      expect(state!.event.data).toMatchObject({
        route: 'GET /v1/audit/referrals/:referralId/state',
        parameters: { asOf: '2020-01-01T00:00:00Z' },
        status: 404,
      });
      const [verify] = await accesses('audit-reads', (e) => e.event.data.route === 'POST /v1/audit/verify');
      expect(verify).toMatchObject({ subject: 'audit-reads', actor: auditor.sub, event: { data: { status: 200 } } });
      // Logged like everything else: the log still verifies with them in it.
      expect((await bed.post('/v1/audit/verify', auditor)).body).toMatchObject({ ok: true });
    });

    it('serves auditors only', async () => {
      for (const path of [
        `/v1/audit/history?personId=${person}`,
        `/v1/audit/referrals/${worked.referralId}/state`,
        `/v1/audit/people/${person}/disclosures`,
      ]) {
        expect((await bed.get(path)).status).toBe(401);
        for (const caller of [
          callers.admin,
          callers.coordinator,
          callers.caseworker('health', worked.servicePointId),
        ]) {
          expect({ path, status: (await bed.get(path, caller)).status }).toEqual({ path, status: 403 });
        }
      }
    });
  });
});
