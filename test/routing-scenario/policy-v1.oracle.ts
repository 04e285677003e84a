import type { ScenarioEvent } from '@ruta/testing';
import {
  isChild,
  POLICY_V1,
  servicePoint,
  type Basis,
  type OraclePerson,
  type Priority,
  type RuleWorld,
  type SectorName,
} from './policy-v1.rules';

export { SECTOR_NAMES, type SectorName } from './policy-v1.rules';

/** What a sector should hold for one person and referral type once the stream has been applied. */
export interface ExpectedReferral {
  personId: string;
  sector: SectorName;
  type: string;
  priority: Priority;
  status: 'requested' | 'cancelled';
  stationId: string | null;
  servicePointId: string;
  legalBasis: Basis;
  cancellationReason: string | null;
}

/**
 * Policy v1 applied to a stream as PRODUCT.md "How the rules read the events" says: a person's
 * events in acceptance order, rules evaluated after each; a referral once made stays, a transfer
 * moves open ones, a departure cancels them and blocks new ones.
 */
export class PolicyV1Oracle {
  private readonly people = new Map<string, OraclePerson>();
  private readonly referrals = new Map<string, ExpectedReferral>();
  /** Rules deferred for want of consent, at least once (for the figures). */
  readonly deferred = new Set<string>();
  /** Referral events each sector should publish, by type (referral.requested, .reassigned, .cancelled). */
  readonly referralEvents: Record<SectorName, Record<string, number>> = {
    health: {},
    'social-development': {},
    protection: {},
  };

  private readonly world: RuleWorld = {
    hasMinor: (household, except) =>
      [...this.people].some(([id, q]) => id !== except && q.link?.householdId === household && isChild(q)),
  };

  /** Applies one accepted event (events in acceptance order), then evaluates whom it concerns. */
  apply(event: ScenarioEvent): void {
    const id = event.subject;
    const p = this.person(id);
    switch (event.type) {
      case 'person.registered': {
        const d = event.data;
        p.station = d.stationId;
        p.category = d.category;
        p.age = d.ageYears ?? ageAt(d.birthDate!, d.registeredAt ?? event.time!);
        // A member registered after the link may make the head of their household eligible.
        if (p.link && p.link.headPersonId !== id) this.evaluate(p.link.headPersonId, 'family-assistance');
        break;
      }
      case 'household.linked':
        for (const m of event.data.members) {
          this.person(m.personId).link = { householdId: event.data.householdId, headPersonId: event.data.headPersonId };
        }
        break;
      case 'vulnerability.screened':
        p.indicators = Object.fromEntries(Object.entries(event.data.indicators).filter(([, v]) => v === true));
        break;
      case 'consent.recorded':
        p.consent = {
          granted: event.data.informationSharing === 'granted',
          sectors: event.data.sectors,
          byGuardian: event.data.guardianPersonId !== undefined,
        };
        break;
      case 'asylum.intent-expressed':
        p.asylumIntent = true;
        break;
      case 'health.incident-reported':
        if (event.data.severity === 'critical') p.criticalIncident = true;
        if (event.data.severity === 'urgent') p.urgentIncident = true;
        break;
      case 'person.transferred':
        p.station = event.data.toStationId;
        for (const r of this.referralsOf(id)) {
          if (r.status !== 'requested') continue;
          r.stationId = p.station;
          r.servicePointId = servicePoint(r.sector, p.station);
          this.published(r.sector, 'referral.reassigned');
        }
        break;
      case 'person.departed':
        p.departed = true;
        for (const r of this.referralsOf(id)) {
          if (r.status !== 'requested') continue;
          r.status = 'cancelled';
          r.cancellationReason = 'person-departed';
          this.published(r.sector, 'referral.cancelled');
        }
        break;
    }
    this.evaluate(id);
  }

  /** Every referral policy v1 gives for the stream applied so far, in one sector. */
  expected(sector: SectorName): ExpectedReferral[] {
    return [...this.referrals.values()].filter((r) => r.sector === sector);
  }

  private evaluate(id: string, only?: string): void {
    const p = this.person(id);
    if (p.departed) return;
    for (const rule of POLICY_V1) {
      if (only && rule.type !== only) continue;
      const key = `${id}|${rule.type}`;
      if (this.referrals.has(key) || !rule.fires(p, id, this.world)) continue;
      const basis = rule.basis(p);
      if (basis === 'consent' && !this.consents(p, rule.sector)) {
        this.deferred.add(key);
        continue;
      }
      this.published(rule.sector, 'referral.requested');
      this.referrals.set(key, {
        personId: id,
        sector: rule.sector,
        type: rule.type,
        priority: rule.priority,
        status: 'requested',
        stationId: p.station ?? null,
        servicePointId: servicePoint(rule.sector, p.station),
        legalBasis: basis,
        cancellationReason: null,
      });
    }
  }

  /** Latest consent granted for the sector; a child's counts only when a guardian recorded it. */
  private consents(p: OraclePerson, sector: SectorName): boolean {
    if (!p.consent || !p.consent.granted || !p.consent.sectors.includes(sector)) return false;
    return !isChild(p) || p.consent.byGuardian;
  }

  private published(sector: SectorName, type: string): void {
    this.referralEvents[sector][type] = (this.referralEvents[sector][type] ?? 0) + 1;
  }

  private referralsOf(id: string): ExpectedReferral[] {
    return [...this.referrals.values()].filter((r) => r.personId === id);
  }

  private person(id: string): OraclePerson {
    let p = this.people.get(id);
    if (!p) {
      p = { indicators: {}, criticalIncident: false, urgentIncident: false, asylumIntent: false, departed: false };
      this.people.set(id, p);
    }
    return p;
  }
}

/** Whole years from a YYYY-MM-DD birth date to an ISO instant (UTC dates). */
function ageAt(birthDate: string, at: string): number {
  const [by, bm, bd] = birthDate.split('-').map(Number) as [number, number, number];
  const when = new Date(at);
  const [y, m, d] = [when.getUTCFullYear(), when.getUTCMonth() + 1, when.getUTCDate()];
  return y - by - (m < bm || (m === bm && d < bd) ? 1 : 0);
}
