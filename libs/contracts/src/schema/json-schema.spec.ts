import 'reflect-metadata';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { contractsByType } from '../contract-registry';
import { INTAKE_SUBMISSION_CONTRACTS, PUBLISHED_EVENT_CONTRACTS } from '../registry';
import { validateCloudEvent } from '../validation';
import { buildJsonSchemas, type JsonSchema } from './json-schema';

const SCHEMAS_DIR = join(__dirname, '..', '..', 'schemas');
const generated = buildJsonSchemas();
const byPath = new Map(generated.map((f) => [f.path, f.schema]));

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? filesUnder(join(dir, entry.name)) : [join(dir, entry.name)],
  );
}

describe('generated JSON Schemas', () => {
  it('match the files in libs/contracts/schemas (run `npm run contracts:schemas` after changing a contract)', () => {
    const onDisk = filesUnder(SCHEMAS_DIR).map((path) => relative(SCHEMAS_DIR, path).split('\\').join('/'));
    expect(onDisk.sort()).toEqual([...byPath.keys()].sort());
    for (const [path, schema] of byPath) {
      const disk = JSON.parse(readFileSync(join(SCHEMAS_DIR, path), 'utf8'));
      expect({ path, schema: JSON.stringify(disk, null, 2) }).toEqual({
        path,
        schema: JSON.stringify(schema, null, 2),
      });
    }
  });

  it('cover every (type, version) contract, published and submitted', () => {
    const published = PUBLISHED_EVENT_CONTRACTS.map((c) => `${c.type}.v${c.version}`);
    const submitted = INTAKE_SUBMISSION_CONTRACTS.map((c) => `submissions/${c.type}.v${c.version}`);
    expect([...byPath.keys()]).toEqual([...published, ...submitted].map((name) => `${name}.schema.json`));
  });

  it('bound every string and array and close every object', () => {
    const unbounded: string[] = [];
    const walk = (schema: JsonSchema, at: string) => {
      if (schema.type === 'string' && schema.maxLength === undefined && !schema.enum && schema.const === undefined) {
        unbounded.push(at);
      }
      if (schema.type === 'array' && schema.maxItems === undefined) unbounded.push(at);
      if (schema.type === 'object' && schema.properties && schema.additionalProperties !== false) unbounded.push(at);
      for (const [key, child] of Object.entries(schema.properties ?? {})) walk(child as JsonSchema, `${at}.${key}`);
      if (schema.items) walk(schema.items, `${at}[]`);
    };
    for (const [path, schema] of byPath) {
      walk(schema, path);
      for (const [name, def] of Object.entries(schema.$defs as JsonSchema)) walk(def, `${path}#${name}`);
    }
    expect(unbounded).toEqual([]);
  });

  it('state what each payload requires, and keep identifiers out of the published person.registered', () => {
    const household = byPath.get('household.linked.v1.schema.json')!;
    expect(household.$id).toBe('urn:ruta:schema:household.linked:v1');
    expect(household.required).toEqual(['specversion', 'id', 'source', 'type', 'subject', 'data']);
    expect(household.properties.type).toEqual({ type: 'string', const: 'household.linked' });
    expect(household.$defs.HouseholdLinkedV1.required).toEqual(['householdId', 'members', 'headPersonId', 'linkedAt']);
    expect(household.$defs.HouseholdLinkedV1.properties.members).toMatchObject({ minItems: 1, maxItems: 30 });
    expect(household.$defs.HouseholdMemberV1.required).toEqual(['personId', 'relationship']);

    const registered = byPath.get('person.registered.v1.schema.json')!;
    expect(registered.$defs.PersonRegisteredV1.properties.identifiers).toBeUndefined();
    expect(registered.$defs.PersonRegisteredV1.anyOf).toEqual([
      { required: ['birthDate'] },
      { required: ['ageYears'] },
    ]);
    expect(registered.$defs.DirectIdentifiersV1).toBeUndefined();
    const submission = byPath.get('submissions/person.registered.v1.schema.json')!;
    expect(submission.$defs.PersonRegisteredSubmissionV1.properties.identifiers.$ref).toBe(
      '#/$defs/DirectIdentifiersV1',
    );
    expect(submission.$defs.DirectIdentifiersV1.properties).toMatchObject({
      fullName: { maxLength: 200 },
      documentNumber: { maxLength: 64 },
      issuingCountry: { pattern: '^[A-Z]{3}$' },
    });
  });
});

const envelope = (type: string, subject: string, data: Record<string, unknown>) => ({
  specversion: '1.0',
  id: `evt-${type}`,
  source: 'senafront/lajas-blancas',
  type,
  subject,
  time: '2026-11-20T14:05:00Z',
  datacontenttype: 'application/json',
  data,
});
const P = 'P-000123';
const AT = '2026-11-20T14:05:00Z';
const registered = {
  personId: P,
  stationId: 'lajas-blancas',
  registeredAt: AT,
  birthDate: '1997-03-02',
  sex: 'female',
  nationality: 'VEN',
  languages: ['es', 'ht'],
  category: 'asylum-seeker',
  householdId: 'H-42',
};
const referral = {
  referralId: '6f1c2d3e-4b5a-4c7d-8e9f-0a1b2c3d4e5f',
  personId: P,
  sector: 'health',
  referralType: 'maternal-health',
  priority: 'urgent',
  legalBasis: 'consent',
  servicePointId: 'lajas-blancas-health',
  stationId: 'lajas-blancas',
  ruleSetVersion: 'default-v1',
  requestedAt: AT,
};
const SAMPLES: Record<string, ReturnType<typeof envelope>> = {
  'person.registered.v1.schema.json': envelope('person.registered', P, registered),
  'household.linked.v1.schema.json': envelope('household.linked', P, {
    householdId: 'H-42',
    members: [
      { personId: P, relationship: 'head' },
      { personId: 'P-000124', relationship: 'child' },
    ],
    headPersonId: P,
    linkedAt: AT,
  }),
  'vulnerability.screened.v1.schema.json': envelope('vulnerability.screened', P, {
    personId: P,
    screenedAt: AT,
    indicators: { pregnant: true, needsShelter: true },
  }),
  'consent.recorded.v1.schema.json': envelope('consent.recorded', P, {
    personId: P,
    informationSharing: 'granted',
    sectors: ['health', 'protection'],
    recordedAt: AT,
  }),
  'asylum.intent-expressed.v1.schema.json': envelope('asylum.intent-expressed', P, {
    personId: P,
    expressedAt: AT,
    fearOfReturn: true,
  }),
  'health.incident-reported.v1.schema.json': envelope('health.incident-reported', P, {
    personId: P,
    reportedAt: AT,
    severity: 'critical',
    category: 'injury',
  }),
  'person.transferred.v1.schema.json': envelope('person.transferred', P, {
    personId: P,
    fromStationId: 'lajas-blancas',
    toStationId: 'san-vicente',
    transferredAt: AT,
  }),
  'person.departed.v1.schema.json': envelope('person.departed', P, { personId: P, departedAt: AT }),
  'referral.requested.v1.schema.json': envelope('referral.requested', P, referral),
  'referral.priority-raised.v1.schema.json': envelope('referral.priority-raised', P, referral),
  'audit.accessed.v1.schema.json': envelope('audit.accessed', P, {
    actor: 'au-eva',
    route: 'GET /v1/audit/history',
    personId: P,
    parameters: { after: '41', limit: '1000' },
    status: 200,
    accessedAt: AT,
  }),
  'submissions/person.registered.v1.schema.json': envelope('person.registered', P, {
    ...registered,
    identifiers: { fullName: 'Ana Pérez', documentType: 'passport', documentNumber: 'X1234567', issuingCountry: 'VEN' },
  }),
};

describe('a valid sample event of each type', () => {
  const all = contractsByType(PUBLISHED_EVENT_CONTRACTS);
  const submissions = contractsByType(INTAKE_SUBMISSION_CONTRACTS);

  it.each(Object.keys(SAMPLES))('satisfies %s and its contract class', (path) => {
    const sample = SAMPLES[path]!;
    expect(violations(sample, byPath.get(path)!)).toEqual([]);
    expect(validateCloudEvent(sample, path.startsWith('submissions/') ? submissions : all).ok).toBe(true);
  });

  it('fails the schema where it fails the contract', () => {
    const household = SAMPLES['household.linked.v1.schema.json']!;
    const schema = byPath.get('household.linked.v1.schema.json')!;
    const bad = { ...household, data: { ...household.data, members: [{ personId: P, relationship: '' }] } };
    expect(violations(bad, schema)).toEqual(['data.members.0.relationship: minLength']);
    expect(violations({ ...household, data: { ...household.data, extra: 1 } }, schema)).toEqual([
      'data.extra: additionalProperties',
    ]);
    const registeredSchema = byPath.get('person.registered.v1.schema.json')!;
    const withIds = SAMPLES['submissions/person.registered.v1.schema.json']!;
    expect(violations(withIds, registeredSchema)).toEqual(['data.identifiers: additionalProperties']);
    const { birthDate: _, ...noAge } = registered;
    expect(violations({ ...withIds, data: noAge }, registeredSchema)).toEqual(['data: anyOf']);
  });
});

/**
 * The JSON Schema keywords the generator emits, checked the way a validator would (formats roughly).
 * Returns `path: keyword` for each violation.
 */
function violations(value: unknown, schema: JsonSchema, root: JsonSchema = schema, at = ''): string[] {
  const here = (keyword: string) => [`${at}: ${keyword}`];
  if (schema.$ref) {
    const own = violations(value, root.$defs[schema.$ref.slice('#/$defs/'.length)], root, at);
    const { $ref: _, ...rest } = schema;
    return [...own, ...violations(value, rest, root, at)];
  }
  const out: string[] = [];
  const type = Array.isArray(value) ? 'array' : value === null ? 'null' : typeof value;
  const types: Record<string, boolean> = {
    string: type === 'string',
    boolean: type === 'boolean',
    object: type === 'object',
    array: type === 'array',
    number: type === 'number',
    integer: Number.isInteger(value),
  };
  if (schema.type && !types[schema.type]) return here('type');
  if (schema.const !== undefined && value !== schema.const) out.push(...here('const'));
  if (schema.enum && !schema.enum.includes(value)) out.push(...here('enum'));
  if (schema.not && violations(value, schema.not, root, at).length === 0) out.push(...here('not'));
  if (schema.anyOf && !schema.anyOf.some((s: JsonSchema) => violations(value, s, root, at).length === 0)) {
    out.push(...here('anyOf'));
  }
  if (
    schema.oneOf &&
    schema.oneOf.filter((s: JsonSchema) => violations(value, s, root, at).length === 0).length !== 1
  ) {
    out.push(...here('oneOf'));
  }
  if (typeof value === 'string') {
    if (schema.maxLength !== undefined && [...value].length > schema.maxLength) out.push(...here('maxLength'));
    if (schema.minLength !== undefined && [...value].length < schema.minLength) out.push(...here('minLength'));
    if (schema.pattern && !new RegExp(schema.pattern, 'u').test(value)) out.push(...here('pattern'));
    if (schema.format === 'date' && !/^\d{4}-\d{2}-\d{2}$/.test(value)) out.push(...here('format'));
    if (schema.format === 'date-time' && !/^\d{4}-\d{2}-\d{2}T/.test(value)) out.push(...here('format'));
  }
  if (typeof value === 'number') {
    if (schema.minimum !== undefined && value < schema.minimum) out.push(...here('minimum'));
    if (schema.maximum !== undefined && value > schema.maximum) out.push(...here('maximum'));
  }
  if (Array.isArray(value)) {
    if (schema.maxItems !== undefined && value.length > schema.maxItems) out.push(...here('maxItems'));
    if (schema.minItems !== undefined && value.length < schema.minItems) out.push(...here('minItems'));
    if (schema.items) value.forEach((item, i) => out.push(...violations(item, schema.items, root, `${at}.${i}`)));
  }
  if (type === 'object' && !Array.isArray(value)) {
    const object = value as Record<string, unknown>;
    const join = (key: string) => (at ? `${at}.${key}` : key);
    for (const key of schema.required ?? []) if (!(key in object)) out.push(`${join(key)}: required`);
    for (const [key, child] of Object.entries(object)) {
      const property = schema.properties?.[key];
      if (property) out.push(...violations(child, property, root, join(key)));
      else if (schema.additionalProperties === false) out.push(`${join(key)}: additionalProperties`);
    }
  }
  return out;
}
