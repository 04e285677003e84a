import type { LegalBasis } from '@ruta/contracts';
import { consent, inputValue, type RuleContext, type RuleInput, type RuleSet } from './rule';

/** Default routing policy v1, rule for rule as PRODUCT.md's table reads. */
export const DEFAULT_RULE_SET_VERSION = 'default-v1';

const is = (ctx: RuleContext, input: RuleInput) => inputValue(ctx, input) === true;
const any =
  (...inputs: RuleInput[]) =>
  (ctx: RuleContext) =>
    inputs.some((input) => is(ctx, input));
const under = (years: number) => (ctx: RuleContext) => ctx.age !== undefined && ctx.age < years;
const isChild = under(18);

export const HEALTH_RULES_V1: RuleSet = {
  sector: 'health',
  version: DEFAULT_RULE_SET_VERSION,
  rules: [
    {
      type: 'emergency-care',
      priority: 'emergency',
      inputs: ['criticalIncident'],
      fires: any('criticalIncident'),
      legalBasis: () => 'vital-interest',
    },
    {
      type: 'medical-care',
      priority: 'urgent',
      inputs: ['injury', 'urgentIncident'],
      fires: any('injury', 'urgentIncident'),
      legalBasis: consent,
    },
    { type: 'maternal-health', priority: 'urgent', inputs: ['pregnant'], fires: any('pregnant'), legalBasis: consent },
    {
      type: 'nutrition',
      priority: 'urgent',
      inputs: ['malnutrition'],
      fires: any('malnutrition'),
      legalBasis: consent,
    },
    { type: 'child-health', priority: 'routine', inputs: ['age'], fires: under(5), legalBasis: consent },
    {
      type: 'chronic-care',
      priority: 'routine',
      inputs: ['chronicIllness'],
      fires: any('chronicIllness'),
      legalBasis: consent,
    },
    {
      type: 'mental-health',
      priority: 'routine',
      inputs: ['mentalHealthDistress'],
      fires: any('mentalHealthDistress'),
      legalBasis: consent,
    },
  ],
};

export const SOCIAL_DEVELOPMENT_RULES_V1: RuleSet = {
  sector: 'social-development',
  version: DEFAULT_RULE_SET_VERSION,
  rules: [
    { type: 'shelter', priority: 'urgent', inputs: ['needsShelter'], fires: any('needsShelter'), legalBasis: consent },
    {
      type: 'food-assistance',
      priority: 'urgent',
      inputs: ['needsFood'],
      fires: any('needsFood'),
      legalBasis: consent,
    },
    {
      type: 'family-assistance',
      priority: 'routine',
      inputs: ['singleParent', 'headOfHousehold', 'memberUnder18', 'needsShelter', 'needsFood'],
      fires: (ctx) =>
        is(ctx, 'singleParent') ||
        (ctx.household.head && ctx.household.memberUnder18 && any('needsShelter', 'needsFood')(ctx)),
      legalBasis: consent,
    },
    {
      type: 'elderly-support',
      priority: 'routine',
      inputs: ['elderly', 'age'],
      fires: (ctx) => is(ctx, 'elderly') || (ctx.age !== undefined && ctx.age >= 60),
      legalBasis: consent,
    },
    {
      type: 'disability-support',
      priority: 'routine',
      inputs: ['disability'],
      fires: any('disability'),
      legalBasis: consent,
    },
  ],
};

const vitalInterestForAChild = (ctx: RuleContext): LegalBasis => (isChild(ctx) ? 'vital-interest' : 'consent');

export const PROTECTION_RULES_V1: RuleSet = {
  sector: 'protection',
  version: DEFAULT_RULE_SET_VERSION,
  rules: [
    {
      type: 'child-protection',
      priority: 'emergency',
      inputs: ['unaccompaniedChild', 'separatedChild'],
      fires: any('unaccompaniedChild', 'separatedChild'),
      legalBasis: () => 'best-interests-of-child',
    },
    {
      type: 'gbv-case-management',
      priority: 'urgent',
      inputs: ['gbvRisk'],
      fires: any('gbvRisk'),
      legalBasis: consent,
    },
    {
      type: 'anti-trafficking',
      priority: 'urgent',
      inputs: ['traffickingIndicators', 'age'],
      fires: any('traffickingIndicators'),
      legalBasis: vitalInterestForAChild,
    },
    {
      type: 'international-protection',
      priority: 'urgent',
      inputs: ['asylumIntent', 'category'],
      fires: (ctx) => is(ctx, 'asylumIntent') || ctx.view.category?.value === 'asylum-seeker',
      legalBasis: consent,
    },
    {
      type: 'protection-assistance',
      priority: 'routine',
      inputs: ['lgbtiqAtRisk'],
      fires: any('lgbtiqAtRisk'),
      legalBasis: consent,
    },
  ],
};

export const DEFAULT_RULE_SETS = {
  health: HEALTH_RULES_V1,
  'social-development': SOCIAL_DEVELOPMENT_RULES_V1,
  protection: PROTECTION_RULES_V1,
} as const;
