import type { EntityManager } from 'typeorm';
import type { NewReferral } from '../route-intake-events/sector-effects';
import { RouteIntakeEventsStore } from '../route-intake-events/route-intake-events.store';

/**
 * Routing's own store (the same person locks, in the same order, and the same writes), plus the
 * first entry of each new referral's timeline: onward referrals are routed like intake events.
 */
export class RouteOnwardReferralsStore extends RouteIntakeEventsStore {
  constructor(private readonly schemaName: string) {
    super(schemaName, false);
  }

  /** referral_events: each new referral starts its timeline with referral.requested by `actor`. */
  async recordRequested(manager: EntityManager, referrals: NewReferral[], actor: string, at: Date): Promise<void> {
    if (referrals.length === 0) return;
    await manager.query(
      `INSERT INTO "${this.schemaName}".referral_events (referral_id, version, type, actor, at, data)
       SELECT r.id, 1, 'referral.requested', $2, $3, r.data
       FROM jsonb_to_recordset($1::jsonb) AS r(id uuid, data jsonb)`,
      [JSON.stringify(referrals.map((r) => ({ id: r.id, data: timelineData(r) }))), actor, at.toISOString()],
    );
  }
}

/** What the timeline keeps of a new referral: the facts its referral.requested carries, and where it came from. */
function timelineData(r: NewReferral) {
  return {
    personId: r.personId,
    referralType: r.type,
    priority: r.priority,
    servicePointId: r.servicePointId,
    stationId: r.stationId,
    legalBasis: r.legalBasis,
    onward: r.decisionInputs,
  };
}
