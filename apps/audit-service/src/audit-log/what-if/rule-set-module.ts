import { createRequire } from 'node:module';
import path from 'node:path';
import { checkRuleSetVersion, RULE_SET_VERSIONS, type RuleSetVersion } from '@ruta/routing';

/** A rule-set module that cannot be used: the message says why (for the auditor's terminal). */
export class RuleSetModuleError extends Error {}

/**
 * Loads a compiled rule-set module (`.js`, `.cjs` or `.mjs`) for the command line's what-if: its
 * default export must be a rule-set version (the shape of libs/routing's `RuleSetVersion`, as
 * `default-v2-draft.rules.ts` builds one) under a version name of its own. The module is code and
 * runs in this process, so only a file the auditor chose is ever loaded: never one named over HTTP.
 */
export function loadRuleSetModule(file: string, option = '--rules'): RuleSetVersion {
  const full = path.resolve(file);
  if (!/\.(c|m)?js$/.test(full)) {
    throw new RuleSetModuleError(
      `${option} ${file}: a rule-set module is compiled JavaScript (.js, .cjs or .mjs); compile a .ts one first`,
    );
  }
  let loaded: unknown;
  try {
    loaded = createRequire(__filename)(full);
  } catch (error) {
    throw new RuleSetModuleError(`${option} ${file} could not be loaded: ${(error as Error).message.split('\n')[0]}`);
  }
  const checked = checkRuleSetVersion((loaded as { default?: unknown } | null)?.default);
  if (!checked.ok) {
    throw new RuleSetModuleError(
      `${option} ${file}: its default export is not a rule-set version: ${checked.problems.join('; ')}`,
    );
  }
  if (RULE_SET_VERSIONS.has(checked.value.version)) {
    throw new RuleSetModuleError(
      `${option} ${file}: its version names a version in the repo; give the module a version of its own`,
    );
  }
  return checked.value;
}

/** The value of `option`: a version in the repo by name, else a module at that path. */
export function ruleSetVersionOf(versionOrPath: string, option = '--rules'): RuleSetVersion {
  const known = RULE_SET_VERSIONS.get(versionOrPath);
  if (known) return known;
  if (/[/\\]|\.(c|m)?js$/.test(versionOrPath)) return loadRuleSetModule(versionOrPath, option);
  throw new RuleSetModuleError(
    `${option}: not a version in the repo (${[...RULE_SET_VERSIONS.keys()].join(', ')}) nor a path to a module`,
  );
}
