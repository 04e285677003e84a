import { plainToInstance } from 'class-transformer';
import { validateSync, type ValidationError } from 'class-validator';
import { ContractRegistry, type EventContract } from './contract-registry';
import { CloudEventEnvelope, SequencedCloudEventEnvelope } from './envelope/cloud-event.envelope';
import type { CloudEvent } from './envelope/cloud-event';
import { dataschemaOf, parseDataschema } from './envelope/dataschema';
import { EVENT_JSON_LIMITS } from './json/bounded-json';
import { inspectEvent } from './json/event-structure';
import { classSchemas } from './schema/event-schema';
import { FastEventValidators } from './schema/fast-reader';

import type { FieldError } from './field-error';

export type { FieldError } from './field-error';

export type ValidationResult<T = CloudEvent> = { ok: true; event: T } | { ok: false; errors: FieldError[] };

const OPTIONS = { whitelist: true, forbidNonWhitelisted: true, forbidUnknownValues: true } as const;

type Checked = { ok: true; event: CloudEvent<Record<string, unknown>>; contract: EventContract } | FailedResult;
type FailedResult = { ok: false; errors: FieldError[] };

/**
 * Validates a CloudEvents 1.0 structured event against the contract of its type and version
 * (`dataschema`, absent means v1): the envelope first, then `data` against that version's payload
 * class, then `subject` against the contract's subject field. Unknown fields are refused. The event
 * comes back as it was: use readCloudEvent to read it as the latest version.
 */
export function validateCloudEvent(raw: unknown, contracts: ReadonlyMap<string, EventContract>): ValidationResult {
  const { blocking, unstorable } = inspectEvent(raw, EVENT_JSON_LIMITS.maxDepth, contractFieldNames());
  if (blocking.length > 0) return { ok: false, errors: blocking };
  const checked = check(raw, registryOf(contracts));
  if (!checked.ok) return { ok: false, errors: merged(checked.errors, unstorable) };
  return unstorable.length > 0 ? { ok: false, errors: unstorable } : { ok: true, event: raw as CloudEvent };
}

/**
 * Validates an event against its own version, then upcasts its data to the latest version the
 * registry knows; the event comes back with the latest version's `dataschema`, always set.
 */
export function readCloudEvent(raw: unknown, contracts: ReadonlyMap<string, EventContract>): ValidationResult {
  const { blocking, unstorable } = inspectEvent(raw, EVENT_JSON_LIMITS.maxDepth, contractFieldNames());
  if (blocking.length > 0) return { ok: false, errors: blocking };
  const read = upcastToLatest(raw, contracts);
  if (!read.ok) return { ok: false, errors: merged(read.errors, unstorable) };
  return unstorable.length > 0 ? { ok: false, errors: unstorable } : read;
}

/** Errors of both checks, one entry per field. */
function merged(errors: FieldError[], more: FieldError[]): FieldError[] {
  const all = errors.map((e) => ({ ...e, messages: [...e.messages] }));
  for (const error of more) {
    const same = all.find((e) => e.field === error.field);
    if (same) same.messages.push(...error.messages);
    else all.push(error);
  }
  return all;
}

function upcastToLatest(raw: unknown, contracts: ReadonlyMap<string, EventContract>): ValidationResult {
  const registry = registryOf(contracts);
  const checked = checkFast(raw, registry) ?? check(raw, registry);
  if (!checked.ok) return checked;
  const { event, contract } = checked;
  const latest = registry.get(contract.type)!;
  if (latest === contract)
    return { ok: true, event: { ...event, dataschema: dataschemaOf(latest.type, latest.version) } };
  let data: unknown = structuredClone(event.data);
  try {
    for (let version = contract.version; version < latest.version; version++) {
      data = registry.upcaster(contract.type, version)!.upcast(data);
    }
  } catch {
    return { ok: false, errors: [{ field: 'data', messages: [`data could not be upcast to v${latest.version}`] }] };
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    return { ok: false, errors: [{ field: 'data', messages: [`upcasting to v${latest.version} gave no object`] }] };
  }
  const read = { ...event, dataschema: dataschemaOf(latest.type, latest.version), data };
  const errors = checkData(read.data, read.subject, latest).map((e) => ({
    field: e.field,
    messages: e.messages.map((m) => `after upcasting to v${latest.version}: ${m}`),
  }));
  return errors.length > 0 ? { ok: false, errors } : { ok: true, event: read };
}

let fieldNames: ReadonlySet<string> | undefined;

/** Every property name of every contract class: the keys an error path may name. */
function contractFieldNames(): ReadonlySet<string> {
  fieldNames ??= new Set([...classSchemas().values()].flatMap((schema) => Object.keys(schema.properties ?? {})));
  return fieldNames;
}

const fastValidators = new WeakMap<ContractRegistry, FastEventValidators>();

/**
 * The consumers' hot path: compiled JSON Schema accepts the event, or returns undefined and the
 * classes judge it (they are the authority, and name the fields at fault).
 */
function checkFast(raw: unknown, registry: ContractRegistry): Checked | undefined {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return undefined;
  const { type, dataschema } = raw as { type?: unknown; dataschema?: unknown };
  const contract = typeof type === 'string' ? namedContract(type, dataschema, registry) : undefined;
  if (!contract) return undefined;
  let validators = fastValidators.get(registry);
  if (!validators) fastValidators.set(registry, (validators = new FastEventValidators(registry.contracts())));
  if (!validators.accepts(raw, contract)) return undefined;
  return { ok: true, event: raw as CloudEvent<Record<string, unknown>>, contract };
}

function check(raw: unknown, registry: ContractRegistry): Checked {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    return { ok: false, errors: [{ field: '', messages: ['the event must be a JSON object'] }] };
  }
  const { type, dataschema, data, subject } = raw as Partial<Record<keyof CloudEvent, unknown>>;
  const latest = typeof type === 'string' ? registry.get(type) : undefined;
  const envelope = plainToInstance(latest?.sequenced ? SequencedCloudEventEnvelope : CloudEventEnvelope, raw);
  const errors = flattenValidationErrors(validateSync(envelope, OPTIONS));
  if (!latest && !errors.some((e) => e.field === 'type')) {
    errors.push({ field: 'type', messages: [`type must be one of: ${[...registry.keys()].join(', ')}`] });
  }
  const contract = latest && contractOf(latest.type, dataschema, registry, errors);
  if (contract && typeof data === 'object' && data !== null && !Array.isArray(data)) {
    errors.push(...checkData(data, subject, contract));
  }
  if (errors.length > 0 || !contract) return { ok: false, errors };
  return { ok: true, event: raw as CloudEvent<Record<string, unknown>>, contract };
}

/** The contract of the version `dataschema` names; absent means version 1. */
function contractOf(
  type: string,
  dataschema: unknown,
  registry: ContractRegistry,
  errors: FieldError[],
): EventContract | undefined {
  if (dataschema !== undefined && typeof dataschema !== 'string') return undefined; // the envelope said so
  const contract = namedContract(type, dataschema, registry);
  if (!contract) {
    const known = registry.versionsOf(type).map((v) => dataschemaOf(type, v));
    errors.push({ field: 'dataschema', messages: [`dataschema must be one of: ${known.join(', ')}`] });
  }
  return contract;
}

/** The contract `dataschema` names for `type` (absent means version 1), if the registry has it. */
function namedContract(type: string, dataschema: unknown, registry: ContractRegistry): EventContract | undefined {
  if (dataschema !== undefined && typeof dataschema !== 'string') return undefined;
  const named = dataschema === undefined ? { type, version: 1 } : parseDataschema(dataschema);
  return named?.type === type ? registry.contract(type, named.version) : undefined;
}

/** `data` against the contract's payload class, and its subject field against `subject`. */
function checkData(data: object, subject: unknown, contract: EventContract): FieldError[] {
  const payload = plainToInstance(contract.payload, data);
  const errors = flattenValidationErrors(validateSync(payload, OPTIONS), 'data');
  const subjectField = contract.subjectField ?? 'personId';
  const value = (data as Record<string, unknown>)[subjectField];
  if (typeof value === 'string' && value !== subject) {
    const field = `data.${subjectField}`;
    const message = `${field} must equal subject`;
    const known = errors.find((e) => e.field === field);
    if (known) known.messages.push(message);
    else errors.push({ field, messages: [message] });
  }
  return errors;
}

const registries = new WeakMap<ReadonlyMap<string, EventContract>, ContractRegistry>();

/** A plain map of contracts (one per type) read as a registry without upcasters. */
function registryOf(contracts: ReadonlyMap<string, EventContract>): ContractRegistry {
  if (contracts instanceof ContractRegistry) return contracts;
  let registry = registries.get(contracts);
  if (!registry) registries.set(contracts, (registry = new ContractRegistry([...contracts.values()])));
  return registry;
}

/** How a field no contract knows is named: its name came from the sender. */
export const UNKNOWN_FIELD = '(unknown field)';

/**
 * class-validator's error tree as a flat list of field paths and messages (values left out). A
 * field that is not in the contract is named only when some contract has a field of that name
 * (say, one of another version); otherwise `<parent>.(unknown field)`, never by the sender's name.
 */
export function flattenValidationErrors(errors: ValidationError[], prefix = ''): FieldError[] {
  return errors.flatMap((error) => {
    const constraints = error.constraints;
    if (constraints && 'whitelistValidation' in constraints) {
      if (contractFieldNames().has(error.property)) {
        const field = prefix ? `${prefix}.${error.property}` : error.property;
        return [{ field, messages: [`${error.property} is not a field of this contract`] }];
      }
      const field = prefix ? `${prefix}.${UNKNOWN_FIELD}` : UNKNOWN_FIELD;
      return [{ field, messages: ['this field is not in the contract'], unknown: true as const }];
    }
    const field = prefix ? `${prefix}.${error.property}` : error.property;
    const own: FieldError[] = constraints ? [{ field, messages: Object.values(constraints) }] : [];
    return [...own, ...flattenValidationErrors(error.children ?? [], field)];
  });
}
