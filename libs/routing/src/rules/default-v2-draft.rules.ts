import { DEFAULT_RULE_SETS } from './default-v1.rules';
import type { RoutingRule, RuleContext, RuleSet, RuleSetVersion } from './rule';

/**
 * An example draft, never routed with: policy v1 with exactly one rule changed, child-health for
 * children under 6 instead of under 5. It exists so the what-if replay has a known difference to
 * show (tests, README); a real next version gets a name of its own.
 */
export const DEFAULT_V2_DRAFT_VERSION = 'default-v2-draft';

const CHILD_HEALTH_UNDER_6: Pick<RoutingRule, 'fires'> = {
  fires: (ctx: RuleContext) => ctx.age !== undefined && ctx.age < 6,
};

/** v1's rule set of a sector under the draft's version, with the rules `change` replaces. */
const draftOf = (ruleSet: RuleSet, change: (rule: RoutingRule) => RoutingRule = (rule) => rule): RuleSet => ({
  ...ruleSet,
  version: DEFAULT_V2_DRAFT_VERSION,
  rules: ruleSet.rules.map(change),
});

export const DEFAULT_V2_DRAFT: RuleSetVersion = {
  version: DEFAULT_V2_DRAFT_VERSION,
  sectors: {
    health: draftOf(DEFAULT_RULE_SETS.health, (rule) =>
      rule.type === 'child-health' ? { ...rule, ...CHILD_HEALTH_UNDER_6 } : rule,
    ),
    'social-development': draftOf(DEFAULT_RULE_SETS['social-development']),
    protection: draftOf(DEFAULT_RULE_SETS.protection),
  },
};
