import { DEFAULT_RULE_SETS } from './default-v1.rules';
import { DEFAULT_V2_DRAFT } from './default-v2-draft.rules';
import type { RuleSetVersion } from './rule';
import { checkRuleSetVersion, ruleSetVersionProblems } from './rule-set-version.check';
import { DEFAULT_V1, LIVE_RULE_SETS, RULE_SET_VERSIONS } from './rule-set-version';

/** v1 as a plain object a module could export, under another version; `edit` changes it. */
function offered(edit: (v: { version: unknown; sectors: Record<string, any> }) => void = () => {}) {
  const version = 'local-draft';
  const value = {
    version: version as unknown,
    sectors: Object.fromEntries(
      Object.entries(DEFAULT_RULE_SETS).map(([sector, set]) => [
        sector,
        { ...set, version, rules: set.rules.map((r) => ({ ...r, inputs: [...r.inputs] })) },
      ]),
    ) as Record<string, any>,
  };
  edit(value);
  return value;
}

describe('rule-set versions in the repo', () => {
  it('lists default-v1, the live one, and the example draft', () => {
    expect([...RULE_SET_VERSIONS.keys()]).toEqual(['default-v1', 'default-v2-draft']);
    expect(LIVE_RULE_SETS).toBe(DEFAULT_V1);
  });

  it.each([...RULE_SET_VERSIONS.values()])('$version passes its own check', (version: RuleSetVersion) => {
    expect(ruleSetVersionProblems(version)).toEqual([]);
  });

  it('the draft differs from v1 in one rule only: child-health under 6', () => {
    const differing = Object.values(DEFAULT_V2_DRAFT.sectors).flatMap((set) =>
      set.rules.filter((rule, i) => rule !== DEFAULT_V1.sectors[set.sector].rules[i]).map((r) => r.type),
    );
    expect(differing).toEqual(['child-health']);
    const [v1, draft] = [DEFAULT_V1, DEFAULT_V2_DRAFT].map((v) =>
      v.sectors.health.rules.find((r) => r.type === 'child-health')!,
    );
    const at = (age: number) => ({
      view: { personId: 'P-1', lastSeq: 1, outcomes: {} },
      age,
      household: { head: false, memberUnder18: false },
    });
    expect([4, 5, 6].map((age) => [v1!.fires(at(age)), draft!.fires(at(age))])).toEqual([
      [true, true],
      [false, true],
      [false, false],
    ]);
  });
});

describe('checkRuleSetVersion: a rule-set module from a file', () => {
  it('accepts a well-formed rule-set version', () => {
    expect(checkRuleSetVersion(offered())).toMatchObject({ ok: true });
  });

  it.each([
    ['not an object', () => 42, ['it is not an object with a version and sectors']],
    [
      'a bad version and no sectors',
      () => ({ version: 'Not A Version!' }),
      [
        'version is not a version name (lowercase letters, digits, dots and dashes, up to 63)',
        'sectors is not an object of rule sets by sector',
      ],
    ],
    [
      'a sector missing and one unknown',
      () =>
        offered((v) => {
          delete v.sectors.protection;
          v.sectors.housing = v.sectors.health;
        }),
      ['sectors names 1 sector(s) that do not exist', 'sectors.protection is missing'],
    ],
    [
      'a rule set of another sector or version',
      () =>
        offered((v) => {
          v.sectors.health = { ...v.sectors.health, sector: 'protection', version: 'default-v1' };
        }),
      ['sectors.health.sector is not health', 'sectors.health.version is not the version of the whole'],
    ],
    [
      'rules at fault',
      () =>
        offered((v) => {
          const rules = v.sectors.health.rules;
          rules[1] = { ...rules[1], type: rules[0].type, priority: 'whenever' };
          rules[2] = { ...rules[2], inputs: ['pregnant', 'shoeSize', 'gbvRisk'], fires: true, legalBasis: 'consent' };
          rules[3] = 'a rule';
        }),
      [
        'sectors.health.rules[1].type repeats sectors.health.rules[0].type',
        'sectors.health.rules[1].priority is not one of emergency, urgent, routine',
        'sectors.health.rules[2].inputs[1] is not an indicator or fact a rule may read',
        "sectors.health.rules[2].inputs[2] is for protection's rules only",
        'sectors.health.rules[2].fires is not a function of the rule context',
        'sectors.health.rules[2].legalBasis is not a function of the rule context',
        'sectors.health.rules[3] is not a rule',
      ],
    ],
    [
      'a rule reading nothing, and rules that are not a list',
      () =>
        offered((v) => {
          v.sectors['social-development'].rules[0].inputs = [];
          v.sectors.protection = { ...v.sectors.protection, rules: {} };
        }),
      [
        'sectors.social-development.rules[0].inputs is not a non-empty list of the inputs the rule reads',
        'sectors.protection.rules is not a list',
      ],
    ],
  ])('refuses %s, naming each fault by path', (_, value, problems) => {
    expect(checkRuleSetVersion(value())).toEqual({ ok: false, problems });
  });

  it('never quotes a value of the file back', () => {
    const secret = 'María Pérez';
    const problems = ruleSetVersionProblems(
      offered((v) => {
        v.version = secret;
        v.sectors.health.rules[0].type = secret;
        v.sectors.health.rules[0].inputs = [secret];
      }),
    );
    expect(problems.length).toBeGreaterThan(2);
    expect(problems.join('\n')).not.toContain('María');
  });
});
