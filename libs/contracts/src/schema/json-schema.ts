import type { JsonSchema } from './event-schema';
import { classSchemas, eventSchema } from './event-schema';
import { INTAKE_SUBMISSION_CONTRACTS, PUBLISHED_EVENT_CONTRACTS } from '../registry';

export type { JsonSchema } from './event-schema';

/** One generated file: its path under libs/contracts/schemas and its schema. */
export interface SchemaFile {
  path: string;
  schema: JsonSchema;
}

/**
 * The JSON Schema of every (type, version): the published events (intake, referral, operations, audit), and under
 * submissions/ the intake events as border services submit them. Pure and deterministic.
 */
export function buildJsonSchemas(): SchemaFile[] {
  const defs = classSchemas();
  const published = PUBLISHED_EVENT_CONTRACTS.map((contract) => ({
    path: `${contract.type}.v${contract.version}.schema.json`,
    schema: eventSchema(contract, defs, 'published'),
  }));
  const submitted = INTAKE_SUBMISSION_CONTRACTS.map((contract) => ({
    path: `submissions/${contract.type}.v${contract.version}.schema.json`,
    schema: eventSchema(contract, defs, 'submission'),
  }));
  return [...published, ...submitted];
}
