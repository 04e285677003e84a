import type { Indicator, LegalBasis, Priority, Sector } from '@ruta/contracts';
import type { PersonView } from '../person-view/person-view';

/** What a rule reads besides indicators. */
export type BasicInput = 'age' | 'category';

export interface RoutingRule {
  /** The referral type this rule creates, e.g. maternal-health. */
  readonly type: string;
  readonly priority: Priority;
  /** The inputs the rule reads: these alone go into the decision's explanation. */
  readonly inputs: readonly (Indicator | BasicInput)[];
  readonly fires: (view: PersonView, age: number | undefined) => boolean;
  readonly legalBasis: (view: PersonView, age: number | undefined) => LegalBasis;
}

export interface RuleSet {
  readonly sector: Sector;
  readonly version: string;
  readonly rules: readonly RoutingRule[];
}

/** The indicators a sector may keep: exactly those its rules read. */
export function indicatorsOf(ruleSet: RuleSet): Indicator[] {
  const basics: readonly string[] = ['age', 'category'];
  const names = ruleSet.rules.flatMap((r) => r.inputs).filter((i): i is Indicator => !basics.includes(i));
  return [...new Set(names)];
}

export const consent = (): LegalBasis => 'consent';
