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
