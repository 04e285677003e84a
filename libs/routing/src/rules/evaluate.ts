import type { LegalBasis, Priority, Sector } from '@ruta/contracts';
import type { PersonView } from '../person-view/person-view';
import { inputValue, type RoutingRule, type RuleContext, type RuleSet } from './rule';

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

/** Evaluates a sector's rules on a person's context. Departed people get no new decisions. */
export function evaluateRules(ctx: RuleContext, ruleSet: RuleSet): RoutingDecision[] {
  if (ctx.view.departed) return [];
  return ruleSet.rules.filter((rule) => rule.fires(ctx)).map((rule) => decide(ctx, ruleSet, rule));
}

function decide(ctx: RuleContext, ruleSet: RuleSet, rule: RoutingRule): RoutingDecision {
  const legalBasis = rule.legalBasis(ctx);
  const base = {
    personId: ctx.view.personId,
    sector: ruleSet.sector,
    referralType: rule.type,
    ruleSetVersion: ruleSet.version,
    priority: rule.priority,
    legalBasis,
  };
  if (legalBasis === 'consent' && !hasConsent(ctx.view, ruleSet.sector, ctx.age)) {
    return { ...base, outcome: 'deferred', reason: 'consent-required', inputs: {} };
  }
  const inputs = Object.fromEntries(rule.inputs.map((input) => [input, inputValue(ctx, input)]));
  return { ...base, outcome: 'refer', inputs };
}

/** The latest consent grants sharing with this sector; a child's counts only when a guardian recorded it. */
export function hasConsent(view: PersonView, sector: Sector, age: number | undefined): boolean {
  const c = view.consent?.value;
  if (!c || c.informationSharing !== 'granted' || !c.sectors.includes(sector)) return false;
  const child = age !== undefined && age < 18;
  return !child || c.byGuardian;
}
