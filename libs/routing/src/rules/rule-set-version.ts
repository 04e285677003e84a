import { DEFAULT_RULE_SET_VERSION, DEFAULT_RULE_SETS } from './default-v1.rules';
import { DEFAULT_V2_DRAFT } from './default-v2-draft.rules';
import type { RuleSetVersion } from './rule';

export const DEFAULT_V1: RuleSetVersion = { version: DEFAULT_RULE_SET_VERSION, sectors: DEFAULT_RULE_SETS };

/**
 * The version the sector services route with: what their decisions record as `ruleSetVersion`,
 * and the baseline a what-if replay compares a candidate with unless told otherwise.
 */
export const LIVE_RULE_SETS: RuleSetVersion = DEFAULT_V1;

/** Every rule-set version in the repo, by version: the only ones the HTTP what-if may name. */
export const RULE_SET_VERSIONS: ReadonlyMap<string, RuleSetVersion> = new Map(
  [DEFAULT_V1, DEFAULT_V2_DRAFT].map((v) => [v.version, v]),
);
