import type { LegalBasis } from '@ruta/contracts';
import type { PersonView } from '../person-view/person-view';
import { consent, type RuleSet } from './rule';

/**
 * Default routing policy v1 (PRODUCT.md). Rules that read events not yet accepted by the gateway
 * (health incidents, asylum intent, household links) fire on the parts available today.
 */
export const DEFAULT_RULE_SET_VERSION = 'default-v1';

const has = (view: PersonView, name: keyof PersonView['indicators']) => view.indicators[name] === true;

export const HEALTH_RULES_V1: RuleSet = {
  sector: 'health',
  version: DEFAULT_RULE_SET_VERSION,
  rules: [
    {
      type: 'medical-care',
      priority: 'urgent',
      inputs: ['injury'],
      fires: (v) => has(v, 'injury'),
      legalBasis: consent,
    },
    {
      type: 'maternal-health',
      priority: 'urgent',
      inputs: ['pregnant'],
      fires: (v) => has(v, 'pregnant'),
      legalBasis: consent,
    },
    {
      type: 'nutrition',
      priority: 'urgent',
      inputs: ['malnutrition'],
      fires: (v) => has(v, 'malnutrition'),
      legalBasis: consent,
    },
    {
      type: 'child-health',
      priority: 'routine',
      inputs: ['age'],
      fires: (_v, age) => age !== undefined && age < 5,
      legalBasis: consent,
    },
    {
      type: 'chronic-care',
      priority: 'routine',
      inputs: ['chronicIllness'],
      fires: (v) => has(v, 'chronicIllness'),
      legalBasis: consent,
    },
    {
      type: 'mental-health',
      priority: 'routine',
      inputs: ['mentalHealthDistress'],
      fires: (v) => has(v, 'mentalHealthDistress'),
      legalBasis: consent,
    },
  ],
};

export const SOCIAL_DEVELOPMENT_RULES_V1: RuleSet = {
  sector: 'social-development',
  version: DEFAULT_RULE_SET_VERSION,
  rules: [
    {
      type: 'shelter',
      priority: 'urgent',
      inputs: ['needsShelter'],
      fires: (v) => has(v, 'needsShelter'),
      legalBasis: consent,
    },
    {
      type: 'food-assistance',
      priority: 'urgent',
      inputs: ['needsFood'],
      fires: (v) => has(v, 'needsFood'),
      legalBasis: consent,
    },
    {
      type: 'family-assistance',
      priority: 'routine',
      inputs: ['singleParent'],
      fires: (v) => has(v, 'singleParent'),
      legalBasis: consent,
    },
    {
      type: 'elderly-support',
      priority: 'routine',
      inputs: ['elderly', 'age'],
      fires: (v, age) => has(v, 'elderly') || (age !== undefined && age >= 60),
      legalBasis: consent,
    },
    {
      type: 'disability-support',
      priority: 'routine',
      inputs: ['disability'],
      fires: (v) => has(v, 'disability'),
      legalBasis: consent,
    },
  ],
};

const childOrConsent =
  (childBasis: LegalBasis) =>
  (_v: PersonView, age: number | undefined): LegalBasis =>
    age !== undefined && age < 18 ? childBasis : 'consent';

export const PROTECTION_RULES_V1: RuleSet = {
  sector: 'protection',
  version: DEFAULT_RULE_SET_VERSION,
  rules: [
    {
      type: 'child-protection',
      priority: 'emergency',
      inputs: ['unaccompaniedChild', 'separatedChild'],
      fires: (v) => has(v, 'unaccompaniedChild') || has(v, 'separatedChild'),
      legalBasis: () => 'best-interests-of-child',
    },
    {
      type: 'gbv-case-management',
      priority: 'urgent',
      inputs: ['gbvRisk'],
      fires: (v) => has(v, 'gbvRisk'),
      legalBasis: consent,
    },
    {
      type: 'anti-trafficking',
      priority: 'urgent',
      inputs: ['traffickingIndicators', 'age'],
      fires: (v) => has(v, 'traffickingIndicators'),
      legalBasis: childOrConsent('vital-interest'),
    },
    {
      type: 'international-protection',
      priority: 'urgent',
      inputs: ['category'],
      fires: (v) => v.category === 'asylum-seeker',
      legalBasis: consent,
    },
    {
      type: 'protection-assistance',
      priority: 'routine',
      inputs: ['lgbtiqAtRisk'],
      fires: (v) => has(v, 'lgbtiqAtRisk'),
      legalBasis: consent,
    },
  ],
};

export const DEFAULT_RULE_SETS = {
  health: HEALTH_RULES_V1,
  'social-development': SOCIAL_DEVELOPMENT_RULES_V1,
  protection: PROTECTION_RULES_V1,
} as const;
