import type { PersonView } from '@ruta/routing';
import type { EntityManager } from 'typeorm';
import { OPEN_STATUSES } from '../../domain/referral';
import { lockPeople } from '../../persistence/person-locks';
import type { Sector } from '@ruta/contracts';
import { routingActor } from '../../domain/lifecycle';
import type { ReferralChange, SectorEffects } from './sector-effects';
import { emptyState, type Membership, type OpenReferral, type SectorState } from './sector-state';

/** Who a batch concerns: the events' subjects and the people its household links name. */
export interface BatchPeople {
  subjects: string[];
  linkMembers: string[];
}

/** Another batch holds a household head this one must route: the batch runs again (SQLSTATE lock_not_available). */
export class HeadBusyError extends Error {
  readonly code = '55P03';
  constructor() {
    super('a household head is being routed by another batch');
  }
}

const AGE = `(v.view->'basics'->'value'->>'age')::int`;

/**
 * The SQL of routing in one sector schema. Everyone a batch writes is locked first, in one global
 * order (rows of person_locks held until commit), so batches of different partitions that share a
 * household wait for each other instead of missing each other's members.
 */
export class RouteIntakeEventsStore {
  /** `householdRules`: some rule of the sector reads households, so heads are locked and evaluated too. */
  constructor(
    private readonly schema: string,
    private readonly householdRules: boolean,
  ) {}

  /** Locks the people and loads what the decider needs about them; throws HeadBusyError when it must retry. */
  async load(manager: EntityManager, people: BatchPeople): Promise<SectorState> {
    const named = [...new Set([...people.subjects, ...people.linkMembers])];
    // Heads seen before locking are locked with everyone else; one seen only after is tried, never waited for.
    const headsBefore = this.householdRules ? headsOf(await this.memberships(manager, named), people) : [];
    const locked = new Set([...named, ...headsBefore]);
    await this.lock(manager, [...locked]);
    const state = emptyState();
    // Without household rules only the links' members matter (their household size), and only when there are links.
    const members = this.householdRules ? named : people.linkMembers;
    if (members.length > 0) {
      for (const [person, membership] of await this.memberships(manager, members)) {
        state.memberships.set(person, membership);
      }
    }
    const heads = this.householdRules ? headsOf(state.memberships, people) : [];
    const late = heads.filter((h) => !locked.has(h));
    if (late.length > 0 && !(await this.tryLock(manager, late))) throw new HeadBusyError();
    const everyone = [...new Set([...people.subjects, ...heads])];
    for (const view of await this.views(manager, everyone)) state.views.set(view.personId, view);
    state.open = await this.openReferrals(manager, everyone);
    if (this.householdRules) await this.households(manager, heads, named, state);
    return state;
  }

  /**
   * Writes the views, memberships, referral changes and decisions of one batch, and each change's
   * timeline row by routing; `timeline: false` leaves the rows to a caller that acts as someone else
   * (a supervisor's consent override writes its own referral.requested).
   */
  async write(
    manager: EntityManager,
    sector: string,
    effects: SectorEffects,
    options: { timeline?: boolean } = {},
  ): Promise<void> {
    const s = this.schema;
    if (effects.views.size > 0) {
      await manager.query(
        `INSERT INTO "${s}".person_view (person_id, view)
         SELECT * FROM unnest($1::text[], $2::jsonb[])
         ON CONFLICT (person_id) DO UPDATE SET view = EXCLUDED.view, updated_at = now()`,
        [[...effects.views.keys()], [...effects.views.values()].map((v) => JSON.stringify(v))],
      );
    }
    if (effects.memberships.size > 0) {
      const rows = [...effects.memberships].map(([person, m]) => ({ person, ...m }));
      await manager.query(
        `INSERT INTO "${s}".household_members (person_id, head_person_id, household_size, seq)
         SELECT * FROM unnest($1::text[], $2::text[], $3::int[], $4::bigint[])
         ON CONFLICT (person_id) DO UPDATE SET head_person_id = EXCLUDED.head_person_id,
           household_size = EXCLUDED.household_size, seq = EXCLUDED.seq, updated_at = now()
         WHERE household_members.seq <= EXCLUDED.seq`,
        [rows.map((r) => r.person), rows.map((r) => r.headPersonId), rows.map((r) => r.size), rows.map((r) => r.seq)],
      );
    }
    const created = effects.changes.flatMap((c) => (c.kind === 'requested' ? [c.referral] : []));
    if (created.length > 0) {
      await manager.query(
        `INSERT INTO "${s}".referrals (id, person_id, sector, type, priority, status, service_point_id, station_id,
                                       legal_basis, rule_set_version, decision_inputs, source_event_id)
         SELECT r.id, r."personId", $2, r.type, r.priority, r.status, r."servicePointId", r."stationId",
                r."legalBasis", r."ruleSetVersion", r."decisionInputs", r."sourceEventId"
         FROM jsonb_to_recordset($1::jsonb) AS r(id uuid, "personId" text, type text, priority text, status text,
              "servicePointId" text, "stationId" text, "legalBasis" text, "ruleSetVersion" text,
              "decisionInputs" jsonb, "sourceEventId" text)`,
        [JSON.stringify(created), sector],
      );
    }
    // The last state of each referral the batch changed after creating or loading it, and how many changes it had.
    const final = new Map<string, OpenReferral & { status: string; cancellationReason: string | null }>();
    const counts = new Map<string, number>();
    for (const c of effects.changes) {
      if (c.kind === 'requested') continue;
      const cancelled = c.kind === 'cancelled';
      final.set(c.referral.id, {
        ...c.referral,
        status: cancelled ? 'cancelled' : c.referral.status,
        cancellationReason: cancelled ? c.reason : null,
      });
      counts.set(c.referral.id, (counts.get(c.referral.id) ?? 0) + 1);
    }
    const versions = new Map<string, number>();
    if (final.size > 0) {
      // Each change counts in the version (the ETag casework compares); a cancellation closes the referral.
      const rows: { id: string; version: number }[] = await manager.query(
        `WITH changed AS (
         UPDATE "${s}".referrals r SET priority = c.priority, status = c.status, service_point_id = c."servicePointId",
                station_id = c."stationId", cancellation_reason = c."cancellationReason",
                closed_at = CASE WHEN c.status = 'cancelled' THEN now() ELSE r.closed_at END,
                close_reason = CASE WHEN c.status = 'cancelled'
                                    THEN jsonb_build_object('code', c."cancellationReason", 'note', NULL)
                                    ELSE r.close_reason END,
                hold = CASE WHEN c.status = 'cancelled' THEN NULL ELSE r.hold END,
                version = r.version + c.changes, updated_at = now()
         FROM jsonb_to_recordset($1::jsonb) AS c(id uuid, priority text, status text, "servicePointId" text,
              "stationId" text, "cancellationReason" text, changes int)
         WHERE r.id = c.id
         RETURNING r.id, r.version)
         SELECT id, version FROM changed`,
        [JSON.stringify([...final.values()].map((r) => ({ ...r, changes: counts.get(r.id) })))],
      );
      for (const row of rows) versions.set(row.id, row.version - counts.get(row.id)!);
    }
    if (options.timeline !== false) await this.timeline(manager, sector, effects, versions);
    if (effects.decisions.length > 0) {
      await manager.query(
        `INSERT INTO "${s}".decisions (person_id, referral_type, rule_set_version, outcome, reason, legal_basis,
                                       inputs, event_id, referral_id)
         SELECT d."personId", d."referralType", d."ruleSetVersion", d.outcome, d.reason, d."legalBasis",
                d.inputs, d."eventId", d."referralId"
         FROM jsonb_to_recordset($1::jsonb) AS d("personId" text, "referralType" text, "ruleSetVersion" text,
              outcome text, reason text, "legalBasis" text, inputs jsonb, "eventId" text, "referralId" uuid)`,
        [JSON.stringify(effects.decisions)],
      );
    }
  }

  /**
   * Routing's changes on the referrals' timelines, each with the version it produced: requested is
   * version 1; `versions` holds each changed referral's version before the batch.
   */
  private async timeline(
    manager: EntityManager,
    sector: string,
    effects: SectorEffects,
    versions: Map<string, number>,
  ): Promise<void> {
    const rows = effects.changes.map((c) => {
      const id = c.referral.id;
      const version = c.kind === 'requested' ? 1 : (versions.get(id) ?? 1) + 1;
      versions.set(id, version);
      return { referralId: id, version, type: `referral.${c.kind}`, data: timelineDataOf(c) };
    });
    if (rows.length === 0) return;
    await manager.query(
      `INSERT INTO "${this.schema}".referral_events (referral_id, version, type, actor, at, data)
       SELECT e."referralId", e.version, e.type, $2, now(), e.data
       FROM jsonb_to_recordset($1::jsonb) AS e("referralId" uuid, version int, type text, data jsonb)`,
      [JSON.stringify(rows), routingActor(sector as Sector).subject],
    );
  }

  /** Holds the people's lock rows until commit, taken in one order so two batches never deadlock. */
  protected async lock(manager: EntityManager, people: string[]): Promise<void> {
    await lockPeople(manager, this.schema, people);
  }

  /** Locks heads found only after the first locks, without waiting: false when another batch holds one. */
  private async tryLock(manager: EntityManager, people: string[]): Promise<boolean> {
    await manager.query(
      `INSERT INTO "${this.schema}".person_locks (person_id) SELECT unnest($1::text[]) ON CONFLICT DO NOTHING`,
      [people],
    );
    const rows: unknown[] = await manager.query(
      `SELECT person_id FROM "${this.schema}".person_locks WHERE person_id = ANY($1::text[]) FOR UPDATE SKIP LOCKED`,
      [people],
    );
    return rows.length === new Set(people).size;
  }

  private async memberships(manager: EntityManager, people: string[]): Promise<Map<string, Membership>> {
    const rows: { person_id: string; head_person_id: string; household_size: number; seq: string }[] =
      await manager.query(
        `SELECT person_id, head_person_id, household_size, seq FROM "${this.schema}".household_members
         WHERE person_id = ANY($1::text[])`,
        [people],
      );
    return new Map(rows.map((r) => [r.person_id, toMembership(r)]));
  }

  private async views(manager: EntityManager, people: string[]): Promise<PersonView[]> {
    const rows: { view: PersonView }[] = await manager.query(
      `SELECT view FROM "${this.schema}".person_view WHERE person_id = ANY($1::text[])`,
      [people],
    );
    return rows.map((r) => r.view);
  }

  private async openReferrals(manager: EntityManager, people: string[]) {
    const rows: (OpenReferral & { personId: string })[] = await manager.query(
      `SELECT id, person_id AS "personId", type, priority, status, service_point_id AS "servicePointId",
              station_id AS "stationId", legal_basis AS "legalBasis", rule_set_version AS "ruleSetVersion"
       FROM "${this.schema}".referrals WHERE person_id = ANY($1::text[]) AND status = ANY($2::text[])`,
      [people, OPEN_STATUSES],
    );
    const open = new Map<string, Map<string, OpenReferral>>();
    for (const { personId, ...referral } of rows) {
      const forPerson = open.get(personId) ?? new Map<string, OpenReferral>();
      forPerson.set(referral.type, referral);
      open.set(personId, forPerson);
    }
    return open;
  }

  /** Every member of the heads' households, and the ages of everyone named, as far as known. */
  private async households(manager: EntityManager, heads: string[], named: string[], state: SectorState) {
    const rows: {
      person_id: string;
      head_person_id: string | null;
      household_size: number;
      seq: string;
      age: number | null;
    }[] = await manager.query(
      `SELECT p AS person_id, m.head_person_id, m.household_size, m.seq, ${AGE} AS age
         FROM (SELECT person_id AS p FROM "${this.schema}".household_members WHERE head_person_id = ANY($1::text[])
               UNION SELECT unnest($2::text[])) AS people
         LEFT JOIN "${this.schema}".household_members m ON m.person_id = p
         LEFT JOIN "${this.schema}".person_view v ON v.person_id = p`,
      [heads, named],
    );
    for (const row of rows) {
      if (row.head_person_id !== null && !state.memberships.has(row.person_id)) {
        state.memberships.set(row.person_id, toMembership({ ...row, head_person_id: row.head_person_id }));
      }
      state.ages.set(row.person_id, row.age ?? undefined);
    }
  }
}

function toMembership(r: { head_person_id: string; household_size: number; seq: string }): Membership {
  return { headPersonId: r.head_person_id, size: r.household_size, seq: Number(r.seq) };
}

/** The heads whose family-assistance a batch may change: of its links, and of the people it names. */
function headsOf(memberships: Map<string, Membership>, people: BatchPeople): string[] {
  const heads = new Set(people.linkMembers.length > 0 ? people.subjects : []);
  for (const m of memberships.values()) heads.add(m.headPersonId);
  return [...heads];
}

/** What a routing change keeps on the timeline beside its type, actor and time. */
function timelineDataOf(change: ReferralChange): Record<string, unknown> {
  const r = change.referral;
  switch (change.kind) {
    case 'requested':
      return {
        referralType: r.type,
        priority: r.priority,
        servicePointId: r.servicePointId,
        stationId: r.stationId,
        legalBasis: r.legalBasis,
        // An onward referral names where it came from (its decision inputs: fromSector, fromReferralId).
        ...('sourceEventId' in r && 'fromSector' in r.decisionInputs ? { onward: r.decisionInputs } : {}),
      };
    case 'priority-raised':
      return { priority: r.priority };
    case 'reassigned':
      return {
        fromServicePointId: change.from.servicePointId,
        servicePointId: r.servicePointId,
        stationId: r.stationId,
        reason: { code: change.reason, note: null },
      };
    case 'cancelled':
      return { reason: { code: change.reason, note: null } };
  }
}
