import type { Indicator, LegalBasis, Priority, Sector } from '@ruta/contracts';
import type { PersonView } from '../person-view/person-view';

/** Facts a rule reads besides indicators. */
export const FACT_INPUTS = [
  'age',
  'category',
  'criticalIncident',
  'urgentIncident',
  'asylumIntent',
  'headOfHousehold',
  'memberUnder18',
] as const;
export type FactInput = (typeof FACT_INPUTS)[number];
export type RuleInput = Indicator | FactInput;

/** Every indicator a screening records (the compiler keeps this in step with the contract). */
const INDICATOR_NAMES: Record<Indicator, true> = {
  pregnant: true,
  lactating: true,
  unaccompaniedChild: true,
  separatedChild: true,
  disability: true,
  chronicIllness: true,
  injury: true,
  malnutrition: true,
  mentalHealthDistress: true,
  elderly: true,
  singleParent: true,
  needsShelter: true,
  needsFood: true,
  gbvRisk: true,
  traffickingIndicators: true,
  lgbtiqAtRisk: true,
};

/** Every input a rule may read. */
export const RULE_INPUTS: readonly RuleInput[] = [...(Object.keys(INDICATOR_NAMES) as Indicator[]), ...FACT_INPUTS];

/** Where the person stands in their household, from the latest link naming each member. */
export interface HouseholdStanding {
  /** The latest link naming the person names them as its head. */
  head: boolean;
  /** Some member whose latest link is that same household is under 18. */
  memberUnder18: boolean;
}

/** What a rule is evaluated on. */
export interface RuleContext {
  view: PersonView;
  age: number | undefined;
  household: HouseholdStanding;
}

export interface RoutingRule {
  /** The referral type this rule creates (e.g. maternal-health); also the rule's name in decisions. */
  readonly type: string;
  readonly priority: Priority;
  /** The inputs the rule reads: these alone are kept in the view and go into a decision's explanation. */
  readonly inputs: readonly RuleInput[];
  readonly fires: (ctx: RuleContext) => boolean;
  readonly legalBasis: (ctx: RuleContext) => LegalBasis;
}

export interface RuleSet {
  readonly sector: Sector;
  readonly version: string;
  readonly rules: readonly RoutingRule[];
}

/**
 * One version of the routing policy: a rule set for each sector, all of that version. It is what a
 * sector routes with (`sectors[sector]`) and what an auditor replays the history through (what-if).
 * A rule-set module loaded from a file has this shape too (its `default` export).
 */
export interface RuleSetVersion {
  readonly version: string;
  readonly sectors: Readonly<Record<Sector, RuleSet>>;
}

/** What a sector keeps of the events beyond the basics: exactly what its rules read. */
export interface SectorReads {
  indicators: Indicator[];
  category: boolean;
  incidents: boolean;
  asylumIntent: boolean;
  household: boolean;
}

const isFact = (input: RuleInput): input is FactInput => (FACT_INPUTS as readonly string[]).includes(input);

export function readsOf(ruleSet: RuleSet): SectorReads {
  const inputs = new Set(ruleSet.rules.flatMap((r) => r.inputs));
  return {
    indicators: [...inputs].filter((i): i is Indicator => !isFact(i)),
    category: inputs.has('category'),
    incidents: inputs.has('criticalIncident') || inputs.has('urgentIncident'),
    asylumIntent: inputs.has('asylumIntent'),
    household: inputs.has('headOfHousehold') || inputs.has('memberUnder18'),
  };
}

/** The value of one input, as a decision's explanation records it. */
export function inputValue(ctx: RuleContext, input: RuleInput): boolean | number | string | null {
  switch (input) {
    case 'age':
      return ctx.age ?? null;
    case 'category':
      return ctx.view.category?.value ?? null;
    case 'criticalIncident':
      return ctx.view.incidents?.critical === true;
    case 'urgentIncident':
      return ctx.view.incidents?.urgent === true;
    case 'asylumIntent':
      return ctx.view.asylumIntent === true;
    case 'headOfHousehold':
      return ctx.household.head;
    case 'memberUnder18':
      return ctx.household.memberUnder18;
    default:
      return ctx.view.indicators?.value[input] === true;
  }
}

export const consent = (): LegalBasis => 'consent';
