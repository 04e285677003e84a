import 'reflect-metadata';
import { defaultMetadataStorage } from 'class-transformer/cjs/storage';
import { validationMetadatasToSchemas } from 'class-validator-jsonschema';
import type { EventContract } from '../contract-registry';
import { dataschemaOf } from '../envelope/dataschema';
import { DirectIdentifiersV1 } from '../events/person-registered/direct-identifiers.v1';
import { PersonRegisteredV1 } from '../events/person-registered/person-registered.v1';

export type JsonSchema = { [keyword: string]: any };

const DEFS = '#/$defs/';

/** Cross-field rules class-validator states in code (ValidateIf) and JSON Schema can state too. */
const ONE_OF_REQUIRED: [Function, string[]][] = [
  [PersonRegisteredV1, ['birthDate', 'ageYears']],
  [DirectIdentifiersV1, ['fullName', 'documentNumber']],
];

/** One schema per class-validator class, closed to unknown properties like the validator is. */
export function classSchemas(): Map<string, JsonSchema> {
  const schemas = validationMetadatasToSchemas({
    classTransformerMetadataStorage: defaultMetadataStorage,
    refPointerPrefix: DEFS,
  });
  const defs = new Map<string, JsonSchema>();
  for (const [name, schema] of Object.entries(schemas)) defs.set(name, { ...schema, additionalProperties: false });
  return defs;
}

export function eventSchema(contract: EventContract, defs: Map<string, JsonSchema>, audience: string): JsonSchema {
  const envelope = structuredClone(
    required(defs, contract.sequenced ? 'SequencedCloudEventEnvelope' : 'CloudEventEnvelope'),
  );
  const dataschema = dataschemaOf(contract.type, contract.version);
  envelope.properties.type = { type: 'string', const: contract.type };
  envelope.properties.dataschema = { type: 'string', const: dataschema };
  envelope.properties.data = { $ref: DEFS + contract.payload.name };
  if (contract.version > 1) envelope.required.push('dataschema');
  const subjectField = contract.subjectField ?? 'personId';
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $id: audience === 'published' ? dataschema : `${dataschema}:${audience}`,
    title: `${contract.type} v${contract.version}${audience === 'published' ? '' : ` (${audience})`}`,
    description:
      `CloudEvents 1.0 structured event on ${contract.topic}; subject must equal data.${subjectField}. ` +
      'Generated from the class-validator contracts in libs/contracts: those are the authority.',
    ...envelope,
    $defs: referencedDefs(contract.payload, defs),
  };
}

/** The payload's schema and every schema it references, by class name, sorted. */
function referencedDefs(payload: Function, defs: Map<string, JsonSchema>): JsonSchema {
  const found = new Map<string, JsonSchema>();
  const visit = (name: string) => {
    if (found.has(name)) return;
    const schema = structuredClone(required(defs, name));
    const rule = ONE_OF_REQUIRED.find(
      ([cls]) => cls.name === name || (name === payload.name && payload.prototype instanceof cls),
    );
    if (rule) schema.anyOf = rule[1].map((field) => ({ required: [field] }));
    found.set(name, schema);
    for (const ref of refsIn(schema)) visit(ref);
  };
  visit(payload.name);
  return Object.fromEntries([...found].sort(([a], [b]) => a.localeCompare(b)));
}

function refsIn(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(refsIn);
  if (typeof value !== 'object' || value === null) return [];
  return Object.entries(value).flatMap(([key, child]) =>
    key === '$ref' && typeof child === 'string' ? [child.slice(DEFS.length)] : refsIn(child),
  );
}

function required(defs: Map<string, JsonSchema>, name: string): JsonSchema {
  const schema = defs.get(name);
  if (!schema) throw new Error(`no class-validator metadata for ${name}`);
  return schema;
}
