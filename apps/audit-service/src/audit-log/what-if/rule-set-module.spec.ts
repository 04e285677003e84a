import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DEFAULT_V2_DRAFT } from '@ruta/routing';
import { loadRuleSetModule, RuleSetModuleError, ruleSetVersionOf } from './rule-set-module';

/** A rule-set version as a module's source: one health rule, no rules in the other sectors. */
const source = (version: string, priority = 'routine') => `{
  version: '${version}',
  sectors: {
    health: { sector: 'health', version: '${version}', rules: [
      { type: 'child-health', priority: '${priority}', inputs: ['age'],
        fires: (ctx) => ctx.age !== undefined && ctx.age < 7, legalBasis: () => 'consent' },
    ] },
    'social-development': { sector: 'social-development', version: '${version}', rules: [] },
    protection: { sector: 'protection', version: '${version}', rules: [] },
  },
}`;

describe('rule-set modules for npm run audit -- what-if --rules', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'ruta-rules-'));
  const file = (name: string, text: string) => {
    const at = path.join(dir, name);
    writeFileSync(at, text);
    return at;
  };

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it.each([
    ['a CommonJS module', 'draft.cjs', `exports.default = ${source('local-cjs')};`, 'local-cjs'],
    ['an ES module', 'draft.mjs', `export default ${source('local-mjs')};`, 'local-mjs'],
    [
      'compiled TypeScript',
      'draft.js',
      `"use strict";\nObject.defineProperty(exports, "__esModule", { value: true });\nexports.default = ${source('local-tsc')};`,
      'local-tsc',
    ],
  ])('loads %s whose default export is a rule-set version', (_, name, text, version) => {
    const loaded = loadRuleSetModule(file(name, text));
    expect(loaded.version).toBe(version);
    const [rule] = loaded.sectors.health.rules;
    expect(
      rule!.fires({
        view: { personId: 'P-1', lastSeq: 1, outcomes: {} },
        age: 6,
        household: { head: false, memberUnder18: false },
      }),
    ).toBe(true);
  });

  it('takes a version in the repo by name, and a path to a module otherwise', () => {
    expect(ruleSetVersionOf('default-v2-draft')).toBe(DEFAULT_V2_DRAFT);
    const at = file('by-path.cjs', `exports.default = ${source('local-path')};`);
    expect(ruleSetVersionOf(at).version).toBe('local-path');
  });

  it.each([
    [
      'a name that is no version in the repo',
      () => 'default-v3',
      '--rules: not a version in the repo (default-v1, default-v2-draft) nor a path to a module',
    ],
    ['a TypeScript file', () => file('draft.ts', 'export default {};'), 'a rule-set module is compiled JavaScript'],
    ['a file that is not there', () => path.join(dir, 'missing.cjs'), 'could not be loaded'],
    ['a file that does not parse', () => file('broken.cjs', 'exports.default = {'), 'could not be loaded'],
    [
      'a module without a default export',
      () => file('named.cjs', `exports.rules = ${source('local-named')};`),
      'its default export is not a rule-set version: it is not an object with a version and sectors',
    ],
    [
      'a module of the wrong shape',
      () => file('shape.cjs', `exports.default = ${source('local-shape', 'soon')};`),
      'sectors.health.rules[0].priority is not one of emergency, urgent, routine',
    ],
    [
      'a module claiming a version of the repo',
      () => file('claims.cjs', `exports.default = ${source('default-v1')};`),
      'its version names a version in the repo',
    ],
  ])('refuses %s with a clear error', (_, given, message) => {
    const at = given();
    expect(() => ruleSetVersionOf(at)).toThrow(RuleSetModuleError);
    expect(() => ruleSetVersionOf(at)).toThrow(message);
  });
});
