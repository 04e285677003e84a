import type { PersonView } from '@ruta/routing';
import type { EntityManager } from 'typeorm';
import { OPEN_STATUSES } from '../../domain/referral';
import type { Reasoned } from '../../domain/lifecycle/reasons';
import { RouteIntakeEventsStore } from '../../routing/route-intake-events/route-intake-events.store';
import type { NewReferral } from '../../routing/route-intake-events/sector-effects';

/** A decision row as the override reads it. */
export interface DecisionRow {
  id: string;
  personId: string;
  referralType: string;
  outcome: string;
  legalBasis: string;
  reason: string | null;
  inputs: Record<string, unknown>;
  referralId: string | null;
  decidedAt: string;
}

/** The override decision, as recorded beside routing's. */
export interface OverrideDecision {
  personId: string;
  referralType: string;
  ruleSetVersion: string;
  legalBasis: string;
  reason: string;
  overriddenDecisionId: string;
  eventId: string;
  referralId: string;
  actor: string;
  at: string;
}

const DECISION_COLUMNS = `id::text AS id, person_id AS "personId", referral_type AS "referralType", outcome,
  legal_basis AS "legalBasis", reason, inputs, referral_id AS "referralId",
  to_char(decided_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "decidedAt"`;

/**
 * The SQL of a consent override: routing's store underneath (its person lock, in its order, and
 * its writes of referrals and views), so an override and routing never interleave for one person.
 */
export class OverrideConsentStore extends RouteIntakeEventsStore {
  constructor(private readonly schemaName: string) {
    super(schemaName, false);
  }

  async decision(manager: EntityManager, decisionId: string): Promise<DecisionRow | undefined> {
    const rows: DecisionRow[] = await manager.query(
      `SELECT ${DECISION_COLUMNS} FROM "${this.schemaName}".decisions WHERE id = $1::bigint`,
      [decisionId],
    );
    return rows[0];
  }

  /** Holds the person's lock row until commit, as routing does. */
  async lockPerson(manager: EntityManager, personId: string): Promise<void> {
    await this.lock(manager, [personId]);
  }

  /** The person's latest decision on a referral type: whether a deferral still stands. */
  async latestDecision(manager: EntityManager, personId: string, type: string): Promise<DecisionRow | undefined> {
    const rows: DecisionRow[] = await manager.query(
      `SELECT ${DECISION_COLUMNS} FROM "${this.schemaName}".decisions
       WHERE person_id = $1 AND referral_type = $2 ORDER BY id DESC LIMIT 1`,
      [personId, type],
    );
    return rows[0];
  }

  async view(manager: EntityManager, personId: string): Promise<PersonView | undefined> {
    const rows: { view: PersonView }[] = await manager.query(
      `SELECT view FROM "${this.schemaName}".person_view WHERE person_id = $1`,
      [personId],
    );
    return rows[0]?.view;
  }

  async hasOpenReferral(manager: EntityManager, personId: string, type: string): Promise<boolean> {
    const rows: unknown[] = await manager.query(
      `SELECT 1 FROM "${this.schemaName}".referrals WHERE person_id = $1 AND type = $2 AND status = ANY($3::text[])`,
      [personId, type, OPEN_STATUSES],
    );
    return rows.length > 0;
  }

  async referralFacts(manager: EntityManager, referralId: string) {
    const rows: { priority: NewReferral['priority']; servicePointId: string }[] = await manager.query(
      `SELECT priority, service_point_id AS "servicePointId" FROM "${this.schemaName}".referrals WHERE id = $1`,
      [referralId],
    );
    return rows[0];
  }

  /** Records the override as a decision of its own (outcome overridden), with who made it; its id. */
  async recordOverride(manager: EntityManager, d: OverrideDecision): Promise<string> {
    const [row]: { id: string }[] = await manager.query(
      `INSERT INTO "${this.schemaName}".decisions (person_id, referral_type, rule_set_version, outcome, reason,
         legal_basis, inputs, event_id, referral_id, actor, decided_at)
       VALUES ($1, $2, $3, 'overridden', $4, $5, $6::jsonb, $7, $8, $9, $10)
       RETURNING id::text AS id`,
      [
        d.personId,
        d.referralType,
        d.ruleSetVersion,
        d.reason,
        d.legalBasis,
        JSON.stringify({ overriddenDecisionId: d.overriddenDecisionId }),
        d.eventId,
        d.referralId,
        d.actor,
        d.at,
      ],
    );
    return row!.id;
  }

  /** The referral's timeline starts with referral.requested by the supervisor, the reason and its note kept here. */
  async recordRequested(
    manager: EntityManager,
    referral: NewReferral,
    override: { decisionId: string; reason: Reasoned },
    actor: string,
    at: string,
  ): Promise<void> {
    const data = {
      personId: referral.personId,
      referralType: referral.type,
      priority: referral.priority,
      servicePointId: referral.servicePointId,
      stationId: referral.stationId,
      legalBasis: referral.legalBasis,
      consentOverride: override,
    };
    await manager.query(
      `INSERT INTO "${this.schemaName}".referral_events (referral_id, version, type, actor, at, data)
       VALUES ($1, 1, 'referral.requested', $2, $3, $4::jsonb)`,
      [referral.id, actor, at, JSON.stringify(data)],
    );
  }
}
