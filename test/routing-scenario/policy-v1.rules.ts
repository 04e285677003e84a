// Policy v1 restated from PRODUCT.md ("Reference data", "Default routing policy v1"), on purpose
// without libs/routing or libs/referrals: it is the yardstick they are measured by.

export type SectorName = 'health' | 'social-development' | 'protection';
export const SECTOR_NAMES: SectorName[] = ['health', 'social-development', 'protection'];
export type Basis = 'consent' | 'vital-interest' | 'best-interests-of-child';
export type Priority = 'emergency' | 'urgent' | 'routine';

/** What the rules read of a person, folded from their events in acceptance order. */
export interface OraclePerson {
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

/** What a rule may ask beyond the person: whether a household has a member under 18. */
export interface RuleWorld {
  hasMinor(householdId: string, exceptPersonId: string): boolean;
}

export interface Rule {
  sector: SectorName;
  type: string;
  priority: Priority;
  fires: (p: OraclePerson, id: string, world: RuleWorld) => boolean;
  basis: (p: OraclePerson) => Basis;
}

/** PRODUCT.md "Reference data": a point per sector at every station, else the sector's regional default. */
const STATIONS = ['lajas-blancas', 'san-vicente', 'bajo-chiquito', 'los-planes'];
const POINTS: Record<SectorName, { prefix: string; regional: string }> = {
  health: { prefix: 'health', regional: 'meteti-hospital' },
  'social-development': { prefix: 'mides', regional: 'mides-darien' },
  protection: { prefix: 'protection', regional: 'protection-darien' },
};
export const servicePoint = (sector: SectorName, station: string | undefined) =>
  station && STATIONS.includes(station) ? `${POINTS[sector].prefix}-${station}` : POINTS[sector].regional;

export const isChild = (p: OraclePerson) => p.age !== undefined && p.age < 18;
const has = (p: OraclePerson, indicator: string) => p.indicators[indicator] === true;
const consent = (): Basis => 'consent';
const rule = (
  sector: SectorName,
  type: string,
  priority: Priority,
  fires: Rule['fires'],
  basis: Rule['basis'] = consent,
): Rule => ({
  sector,
  type,
  priority,
  fires,
  basis,
});

/** singleParent; or head of their latest household, in need, with a member under 18 whose latest link is that household. */
const familyAssistance: Rule['fires'] = (p, id, world) =>
  has(p, 'singleParent') ||
  (p.link?.headPersonId === id &&
    (has(p, 'needsShelter') || has(p, 'needsFood')) &&
    world.hasMinor(p.link.householdId, id));

// prettier-ignore
export const POLICY_V1: Rule[] = [
  rule('health', 'emergency-care', 'emergency', (p) => p.criticalIncident, () => 'vital-interest'),
  rule('health', 'medical-care', 'urgent', (p) => has(p, 'injury') || p.urgentIncident),
  rule('health', 'maternal-health', 'urgent', (p) => has(p, 'pregnant')),
  rule('health', 'nutrition', 'urgent', (p) => has(p, 'malnutrition')),
  rule('health', 'child-health', 'routine', (p) => p.age !== undefined && p.age < 5),
  rule('health', 'chronic-care', 'routine', (p) => has(p, 'chronicIllness')),
  rule('health', 'mental-health', 'routine', (p) => has(p, 'mentalHealthDistress')),
  rule('social-development', 'shelter', 'urgent', (p) => has(p, 'needsShelter')),
  rule('social-development', 'food-assistance', 'urgent', (p) => has(p, 'needsFood')),
  rule('social-development', 'family-assistance', 'routine', familyAssistance),
  rule('social-development', 'elderly-support', 'routine', (p) => has(p, 'elderly') || (p.age !== undefined && p.age >= 60)),
  rule('social-development', 'disability-support', 'routine', (p) => has(p, 'disability')),
  rule('protection', 'child-protection', 'emergency', (p) => has(p, 'unaccompaniedChild') || has(p, 'separatedChild'), () => 'best-interests-of-child'),
  rule('protection', 'gbv-case-management', 'urgent', (p) => has(p, 'gbvRisk')),
  rule('protection', 'anti-trafficking', 'urgent', (p) => has(p, 'traffickingIndicators'), (p) => (isChild(p) ? 'vital-interest' : 'consent')),
  rule('protection', 'international-protection', 'urgent', (p) => p.asylumIntent || p.category === 'asylum-seeker'),
  rule('protection', 'protection-assistance', 'routine', (p) => has(p, 'lgbtiqAtRisk')),
];
