import type { LegalBasis, Priority, Sector } from '@ruta/contracts';
import { ageOf, type PersonView } from '../person-view/person-view';
import type { RoutingRule, RuleSet } from './rule';

export type DecisionOutcome = 'refer' | 'deferred';

/** Why a rule fired and on what: deterministic and explainable. */
export interface RoutingDecision {
  personId: string;
  sector: Sector;
  referralType: string;
  ruleSetVersion: string;
  priority: Priority;
  legalBasis: LegalBasis;
  outcome: DecisionOutcome;
  reason?: 'consent-required';
  /** The inputs the rule read and their values; empty for a deferral (no personal data kept). */
  inputs: Record<string, unknown>;
}

/** Evaluates a sector's rules on its person view. Departed people get no new decisions. */
export function evaluateRules(view: PersonView, ruleSet: RuleSet): RoutingDecision[] {
  if (view.departed) return [];
  const age = ageOf(view);
  return ruleSet.rules.filter((rule) => rule.fires(view, age)).map((rule) => decide(view, ruleSet, rule, age));
}

function decide(view: PersonView, ruleSet: RuleSet, rule: RoutingRule, age: number | undefined): RoutingDecision {
  const legalBasis = rule.legalBasis(view, age);
  const base = {
    personId: view.personId,
    sector: ruleSet.sector,
    referralType: rule.type,
    ruleSetVersion: ruleSet.version,
    priority: rule.priority,
    legalBasis,
  };
  if (legalBasis === 'consent' && !hasConsent(view, ruleSet.sector, age)) {
    return { ...base, outcome: 'deferred', reason: 'consent-required', inputs: {} };
  }
  return { ...base, outcome: 'refer', inputs: inputsOf(view, rule, age) };
}

/** The latest consent grants sharing with this sector; a child's counts only with a guardian. */
export function hasConsent(view: PersonView, sector: Sector, age: number | undefined): boolean {
  const c = view.consent;
  if (!c || c.informationSharing !== 'granted' || !c.sectors.includes(sector)) return false;
  const child = age !== undefined && age < 18;
  return !child || c.guardianPersonId !== undefined;
}

function inputsOf(view: PersonView, rule: RoutingRule, age: number | undefined): Record<string, unknown> {
  const inputs: Record<string, unknown> = {};
  for (const name of rule.inputs) {
    if (name === 'age') inputs.age = age ?? null;
    else if (name === 'category') inputs.category = view.category ?? null;
    else inputs[name] = view.indicators[name] === true;
  }
  return inputs;
}
