import { PRIORITIES, SECTORS, SENSITIVE_INDICATORS, type Sector } from '@ruta/contracts';
import { RULE_INPUTS, type RuleSetVersion } from './rule';

/** A version or rule name: lowercase letters, digits, dots and dashes (what decisions record). */
export const RULE_SET_VERSION_PATTERN = /^[a-z0-9][a-z0-9.-]{0,62}$/;
const RULE_TYPE_PATTERN = /^[a-z0-9][a-z0-9-]{0,62}$/;

/** Inputs only protection's rules may read (PRODUCT.md, data minimisation). */
const PROTECTION_ONLY: ReadonlySet<string> = new Set([...SENSITIVE_INDICATORS, 'category', 'asylumIntent']);

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * What is wrong with a value offered as a rule-set version (a module loaded from a file), by path:
 * a version name, and for every sector a rule set of that sector and version whose rules each have
 * a type (unique in the sector), a priority, the inputs it reads (known ones; the sensitive ones in
 * protection only) and the functions `fires` and `legalBasis`. Values are never quoted back.
 */
export function ruleSetVersionProblems(value: unknown): string[] {
  if (!isObject(value)) return ['it is not an object with a version and sectors'];
  const problems: string[] = [];
  const version = value.version;
  if (typeof version !== 'string' || !RULE_SET_VERSION_PATTERN.test(version)) {
    problems.push('version is not a version name (lowercase letters, digits, dots and dashes, up to 63)');
  }
  if (!isObject(value.sectors)) return [...problems, 'sectors is not an object of rule sets by sector'];
  const sectors = value.sectors;
  const unknown = Object.keys(sectors).filter((key) => !(SECTORS as readonly string[]).includes(key)).length;
  if (unknown > 0) problems.push(`sectors names ${unknown} sector(s) that do not exist`);
  for (const sector of SECTORS) problems.push(...ruleSetProblems(sectors[sector], sector, version));
  return problems;
}

function ruleSetProblems(ruleSet: unknown, sector: Sector, version: unknown): string[] {
  const at = `sectors.${sector}`;
  if (!isObject(ruleSet)) return [`${at} is missing`];
  const problems: string[] = [];
  if (ruleSet.sector !== sector) problems.push(`${at}.sector is not ${sector}`);
  if (ruleSet.version !== version) problems.push(`${at}.version is not the version of the whole`);
  if (!Array.isArray(ruleSet.rules)) return [...problems, `${at}.rules is not a list`];
  const types = new Map<string, number>();
  ruleSet.rules.forEach((rule: unknown, i) => {
    const path = `${at}.rules[${i}]`;
    if (!isObject(rule)) {
      problems.push(`${path} is not a rule`);
      return;
    }
    if (typeof rule.type !== 'string' || !RULE_TYPE_PATTERN.test(rule.type)) {
      problems.push(`${path}.type is not a referral type (lowercase letters, digits and dashes)`);
    } else if (types.has(rule.type)) {
      problems.push(`${path}.type repeats ${at}.rules[${types.get(rule.type)}].type`);
    } else types.set(rule.type, i);
    if (!(PRIORITIES as readonly unknown[]).includes(rule.priority)) {
      problems.push(`${path}.priority is not one of ${PRIORITIES.join(', ')}`);
    }
    if (!Array.isArray(rule.inputs) || rule.inputs.length === 0) {
      problems.push(`${path}.inputs is not a non-empty list of the inputs the rule reads`);
    } else {
      rule.inputs.forEach((input: unknown, j) => {
        if (!(RULE_INPUTS as readonly unknown[]).includes(input)) {
          problems.push(`${path}.inputs[${j}] is not an indicator or fact a rule may read`);
        } else if (sector !== 'protection' && PROTECTION_ONLY.has(input as string)) {
          problems.push(`${path}.inputs[${j}] is for protection's rules only`);
        }
      });
    }
    if (typeof rule.fires !== 'function') problems.push(`${path}.fires is not a function of the rule context`);
    if (typeof rule.legalBasis !== 'function') {
      problems.push(`${path}.legalBasis is not a function of the rule context`);
    }
  });
  return problems;
}

/** The value as a rule-set version, or what is wrong with it. */
export function checkRuleSetVersion(
  value: unknown,
): { ok: true; value: RuleSetVersion } | { ok: false; problems: string[] } {
  const problems = ruleSetVersionProblems(value);
  return problems.length === 0 ? { ok: true, value: value as RuleSetVersion } : { ok: false, problems };
}
