import type { ScenarioEvent } from '@ruta/testing';

// Policy v1 restated from PRODUCT.md ("Default routing policy v1", "How the rules read the events"),
// on purpose without libs/routing or libs/referrals: it is the yardstick they are measured by.

export type SectorName = 'health' | 'social-development' | 'protection';
export const SECTOR_NAMES: SectorName[] = ['health', 'social-development', 'protection'];
type Basis = 'consent' | 'vital-interest' | 'best-interests-of-child';

/** What a sector should hold for one person and referral type once the stream has been applied. */
export interface ExpectedReferral {
  personId: string;
  sector: SectorName;
  type: string;
  priority: 'emergency' | 'urgent' | 'routine';
  status: 'requested' | 'cancelled';
  stationId: string | null;
  servicePointId: string;
  legalBasis: Basis;
  cancellationReason: string | null;
}

/** PRODUCT.md "Reference data": a point per sector at every station, else the sector's regional default. */
const STATIONS = ['lajas-blancas', 'san-vicente', 'bajo-chiquito', 'los-planes'];
const POINTS: Record<SectorName, { prefix: string; regional: string }> = {
  health: { prefix: 'health', regional: 'meteti-hospital' },
  'social-development': { prefix: 'mides', regional: 'mides-darien' },
  protection: { prefix: 'protection', regional: 'protection-darien' },
};
const servicePoint = (sector: SectorName, station: string | undefined) =>
  station && STATIONS.includes(station) ? `${POINTS[sector].prefix}-${station}` : POINTS[sector].regional;

interface Person {
  station?: string;
  age?: number;
  category?: string;
  indicators: Record<string, boolean>;
  consent?: { granted: boolean; sectors: string[]; byGuardian: boolean };
  criticalIncident: boolean;
  urgentIncident: boolean;
  asylumIntent: boolean;
  departed: boolean;
  /** The latest household.linked that names this person. */
  link?: { householdId: string; headPersonId: string };
}

interface Rule {
  sector: SectorName;
  type: string;
  priority: ExpectedReferral['priority'];
  fires: (p: Person, id: string) => boolean;
  basis: (p: Person) => Basis;
}

const consent = (): Basis => 'consent';
const child = (p: Person) => p.age !== undefined && p.age < 18;

export class PolicyV1Oracle {
  private readonly people = new Map<string, Person>();
  private readonly referrals = new Map<string, ExpectedReferral>();
  /** Rules deferred for want of consent, at least once (for the figures). */
  readonly deferred = new Set<string>();
  /** Referral events each sector should publish, by type (referral.requested, .reassigned, .cancelled). */
  readonly referralEvents: Record<SectorName, Record<string, number>> = {
    health: {},
    'social-development': {},
    protection: {},
  };

  private readonly rules: Rule[] = [
    {
      sector: 'health',
      type: 'emergency-care',
      priority: 'emergency',
      fires: (p) => p.criticalIncident,
      basis: () => 'vital-interest',
    },
    {
      sector: 'health',
      type: 'medical-care',
      priority: 'urgent',
      fires: (p) => this.has(p, 'injury') || p.urgentIncident,
      basis: consent,
    },
    {
      sector: 'health',
      type: 'maternal-health',
      priority: 'urgent',
      fires: (p) => this.has(p, 'pregnant'),
      basis: consent,
    },
    {
      sector: 'health',
      type: 'nutrition',
      priority: 'urgent',
      fires: (p) => this.has(p, 'malnutrition'),
      basis: consent,
    },
    {
      sector: 'health',
      type: 'child-health',
      priority: 'routine',
      fires: (p) => p.age !== undefined && p.age < 5,
      basis: consent,
    },
    {
      sector: 'health',
      type: 'chronic-care',
      priority: 'routine',
      fires: (p) => this.has(p, 'chronicIllness'),
      basis: consent,
    },
    {
      sector: 'health',
      type: 'mental-health',
      priority: 'routine',
      fires: (p) => this.has(p, 'mentalHealthDistress'),
      basis: consent,
    },
    {
      sector: 'social-development',
      type: 'shelter',
      priority: 'urgent',
      fires: (p) => this.has(p, 'needsShelter'),
      basis: consent,
    },
    {
      sector: 'social-development',
      type: 'food-assistance',
      priority: 'urgent',
      fires: (p) => this.has(p, 'needsFood'),
      basis: consent,
    },
    {
      sector: 'social-development',
      type: 'family-assistance',
      priority: 'routine',
      fires: (p, id) => this.familyAssistance(p, id),
      basis: consent,
    },
    {
      sector: 'social-development',
      type: 'elderly-support',
      priority: 'routine',
      fires: (p) => this.has(p, 'elderly') || (p.age !== undefined && p.age >= 60),
      basis: consent,
    },
    {
      sector: 'social-development',
      type: 'disability-support',
      priority: 'routine',
      fires: (p) => this.has(p, 'disability'),
      basis: consent,
    },
    {
      sector: 'protection',
      type: 'child-protection',
      priority: 'emergency',
      fires: (p) => this.has(p, 'unaccompaniedChild') || this.has(p, 'separatedChild'),
      basis: () => 'best-interests-of-child',
    },
    {
      sector: 'protection',
      type: 'gbv-case-management',
      priority: 'urgent',
      fires: (p) => this.has(p, 'gbvRisk'),
      basis: consent,
    },
    {
      sector: 'protection',
      type: 'anti-trafficking',
      priority: 'urgent',
      fires: (p) => this.has(p, 'traffickingIndicators'),
      basis: (p) => (child(p) ? 'vital-interest' : 'consent'),
    },
    {
      sector: 'protection',
      type: 'international-protection',
      priority: 'urgent',
      fires: (p) => p.asylumIntent || p.category === 'asylum-seeker',
      basis: consent,
    },
    {
      sector: 'protection',
      type: 'protection-assistance',
      priority: 'routine',
      fires: (p) => this.has(p, 'lgbtiqAtRisk'),
      basis: consent,
    },
  ];

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
    for (const rule of this.rules) {
      if (only && rule.type !== only) continue;
      const key = `${id}|${rule.type}`;
      if (this.referrals.has(key) || !rule.fires(p, id)) continue;
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
  private consents(p: Person, sector: SectorName): boolean {
    if (!p.consent || !p.consent.granted || !p.consent.sectors.includes(sector)) return false;
    return !child(p) || p.consent.byGuardian;
  }

  /** singleParent; or head of their latest household, in need, with a member under 18 whose latest link is that household. */
  private familyAssistance(p: Person, id: string): boolean {
    if (this.has(p, 'singleParent')) return true;
    if (!p.link || p.link.headPersonId !== id) return false;
    if (!this.has(p, 'needsShelter') && !this.has(p, 'needsFood')) return false;
    const household = p.link.householdId;
    return [...this.people].some(([other, q]) => other !== id && q.link?.householdId === household && child(q));
  }

  private published(sector: SectorName, type: string): void {
    this.referralEvents[sector][type] = (this.referralEvents[sector][type] ?? 0) + 1;
  }

  private has(p: Person, indicator: string): boolean {
    return p.indicators[indicator] === true;
  }

  private referralsOf(id: string): ExpectedReferral[] {
    return [...this.referrals.values()].filter((r) => r.personId === id);
  }

  private person(id: string): Person {
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
