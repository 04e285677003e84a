import { Topics, type CloudEvent } from '@ruta/contracts';
import type { Kafka } from 'kafkajs';
import type { Client } from 'pg';
import { eventually } from './http';
import { sectorSchema } from '@ruta/referrals';

export const SECTORS = ['health', 'social-development', 'protection'] as const;
export type SectorName = (typeof SECTORS)[number];
export const schemaOf = sectorSchema;
const CONSUMER_SCHEMAS = SECTORS.map(schemaOf);

/** What each person's events leave in a sector: referral types, and `type:outcome` decisions in order. */
export type ExpectedEffects = Record<SectorName, { referrals: string[]; decisions: string[] }>;

/** Persons whose rows differ from what was expected, with a few examples for the failure message. */
function mismatches(what: string, persons: string[], actual: Map<string, string[]>, expected: (p: string) => string[]) {
  const wrong = persons.filter((p) => JSON.stringify(actual.get(p) ?? []) !== JSON.stringify(expected(p)));
  return { what, wrong: wrong.length, examples: wrong.slice(0, 3).map((p) => ({ p, actual: actual.get(p) ?? [] })) };
}
const none = (what: string) => ({ what, wrong: 0, examples: [] });

/**
 * Counts events in and effects out in every sector and the audit log, against the real database and
 * broker: each sector's inbox, referrals and decisions, and the audit log by event id and topic.
 */
export class SectorEffects {
  constructor(
    private readonly db: Client,
    private readonly kafka: Kafka,
    private readonly namespace: () => string,
  ) {}

  /** How many of `ids` the sector committed (its inbox is written with their effects). */
  async inbox(sector: SectorName, ids: string[]): Promise<number> {
    return this.count(`SELECT count(*)::int AS n FROM "${schemaOf(sector)}".inbox WHERE event_id = ANY($1::text[])`, [
      ids,
    ]);
  }

  /** How many of `ids` the audit log holds on the intake topic, copies included. */
  async audited(ids: string[]): Promise<number> {
    return this.count(`SELECT count(*)::int AS n FROM audit.log WHERE topic = $2 AND event_id = ANY($1::text[])`, [
      ids,
      Topics.intakeEvents,
    ]);
  }

  /**
   * Waits until every sector applied `ids`, every outbox sent what it holds for these people, and
   * every consumer group's committed offsets reach the end of its topics (lag 0): from then on no
   * copy of anything can still arrive, so the counts that follow are final.
   */
  async settled(events: CloudEvent[], timeoutMs = 180_000): Promise<void> {
    const ids = events.map((e) => e.id);
    const persons = [...new Set(events.map((e) => e.subject))];
    for (const sector of SECTORS) {
      await eventually(
        async () => ((await this.inbox(sector, ids)) === ids.length ? true : undefined),
        `${sector} to apply ${ids.length} events`,
        timeoutMs,
      );
    }
    for (const schema of [...CONSUMER_SCHEMAS, 'intake']) {
      await eventually(
        async () => ((await this.unsent(schema, persons)) === 0 ? true : undefined),
        `the ${schema} outbox to send these people's events`,
        timeoutMs,
      );
    }
    const groups: [string, string[]][] = [
      ...SECTORS.map((s): [string, string[]] => [`${s}-service`, [Topics.intakeEvents]]),
      ['audit-service', [Topics.intakeEvents, Topics.referralEvents]],
    ];
    for (const [group, topics] of groups) {
      await eventually(
        async () => ((await this.lag(group, topics)) === 0 ? true : undefined),
        `${group} to reach the end of ${topics.join(', ')}`,
        timeoutMs,
      );
    }
  }

  /**
   * Checks, once settled, that `events` (each accepted once, in acceptance order) were applied once
   * in every sector with exactly the `expected` effects per person, in order, and that the audit log
   * holds each intake event once in that order and each sector's referral event once.
   */
  async expectOnce(events: CloudEvent[], expected: ExpectedEffects): Promise<void> {
    const ids = events.map((e) => e.id);
    const persons = [...new Set(events.map((e) => e.subject))];
    const results = [];
    const referralIds: string[] = [];
    for (const sector of SECTORS) {
      const s = schemaOf(sector);
      expect({ sector, applied: await this.inbox(sector, ids) }).toEqual({ sector, applied: ids.length });
      const referrals = await this.perPerson(
        `SELECT person_id AS p, array_agg(type ORDER BY created_at, id) AS v FROM "${s}".referrals
         WHERE person_id = ANY($1::text[]) GROUP BY person_id`,
        persons,
      );
      results.push(mismatches(`${sector} referrals`, persons, referrals, () => expected[sector].referrals));
      const decisions = await this.perPerson(
        `SELECT person_id AS p, array_agg(referral_type || ':' || outcome ORDER BY id) AS v FROM "${s}".decisions
         WHERE person_id = ANY($1::text[]) GROUP BY person_id`,
        persons,
      );
      results.push(mismatches(`${sector} decisions`, persons, decisions, () => expected[sector].decisions));
      const rows = await this.db.query<{ id: string }>(
        `SELECT id::text FROM "${s}".referrals WHERE person_id = ANY($1::text[])`,
        [persons],
      );
      referralIds.push(...rows.rows.map((r) => r.id));
    }

    const byPerson = new Map<string, string[]>();
    for (const e of events) byPerson.set(e.subject, [...(byPerson.get(e.subject) ?? []), e.id]);
    const intake = await this.perPerson(
      `SELECT subject AS p, array_agg(event_id ORDER BY position) AS v FROM audit.log
       WHERE topic = $2 AND subject = ANY($1::text[]) GROUP BY subject`,
      persons,
      [Topics.intakeEvents],
    );
    results.push(mismatches('audit intake events, in order', persons, intake, (p) => byPerson.get(p)!));
    const referralEvents = await this.perPerson(
      `SELECT subject AS p, array_agg(sector || ':' || type ORDER BY sector)
       AS v FROM audit.log WHERE topic = $2 AND subject = ANY($1::text[]) GROUP BY subject`,
      persons,
      [Topics.referralEvents],
    );
    const expectedReferralEvents = SECTORS.flatMap((s) => expected[s].referrals.map(() => `${s}:referral.requested`));
    results.push(
      mismatches('audit referral events', persons, referralEvents, () => [...expectedReferralEvents].sort()),
    );
    // Every event id at most once in the log, and the referral events name exactly the sectors' referrals.
    const [doubled, audited] = await Promise.all([
      this.count(
        `SELECT (count(*) - count(DISTINCT event_id))::int AS n FROM audit.log WHERE subject = ANY($1::text[])`,
        [persons],
      ),
      this.db.query<{ id: string }>(
        `SELECT referral_id AS id FROM audit.log WHERE topic = $2 AND subject = ANY($1::text[])`,
        [persons, Topics.referralEvents],
      ),
    ]);
    expect(results).toEqual(results.map((r) => none(r.what)));
    expect({ doubled }).toEqual({ doubled: 0 });
    expect(audited.rows.map((r) => r.id).sort()).toEqual(referralIds.sort());
  }

  /** Messages on `topics` the group has not committed past (end offset minus committed offset). */
  async lag(group: string, topics: string[]): Promise<number> {
    const ns = this.namespace();
    const admin = this.kafka.admin();
    await admin.connect();
    try {
      let lag = 0;
      for (const topic of topics) {
        const ends = await admin.fetchTopicOffsets(ns + topic);
        const [committed] = await admin.fetchOffsets({ groupId: ns + group, topics: [ns + topic] });
        for (const end of ends) {
          const at = committed!.partitions.find((p) => p.partition === end.partition);
          lag += Number(end.high) - Math.max(Number(at?.offset ?? -1), 0);
        }
      }
      return lag;
    } finally {
      await admin.disconnect();
    }
  }

  private async unsent(schema: string, persons: string[]): Promise<number> {
    const exists = await this.count(`SELECT (to_regclass($1) IS NOT NULL)::int AS n`, [`"${schema}".outbox`]);
    if (!exists) return 0;
    return this.count(`SELECT count(*)::int AS n FROM "${schema}".outbox WHERE key = ANY($1::text[])`, [persons]);
  }

  private async perPerson(sql: string, persons: string[], params: unknown[] = []): Promise<Map<string, string[]>> {
    const { rows } = await this.db.query<{ p: string; v: string[] }>(sql, [persons, ...params]);
    return new Map(rows.map((r) => [r.p, r.v]));
  }

  private async count(sql: string, params: unknown[]): Promise<number> {
    return (await this.db.query<{ n: number }>(sql, params)).rows[0]!.n;
  }
}
