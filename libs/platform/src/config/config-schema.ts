import 'reflect-metadata';
import { plainToInstance } from 'class-transformer';
import { getMetadataStorage, validateSync, type ValidationError } from 'class-validator';

/** A class whose properties are environment variables, each with class-validator rules. */
export type ConfigSchema<T extends object = object> = new () => T;

/** One variable at fault and the rule it breaks; never its value (it may be a secret). */
export interface ConfigFault {
  variable: string;
  rule: string;
}

/** Settings that break their rules; the message names each variable and rule, never a value. */
export class ConfigurationError extends Error {
  constructor(readonly faults: ConfigFault[]) {
    super(`invalid configuration: ${faults.map((f) => `${f.variable} ${f.rule}`).join('; ')}`);
    this.name = 'ConfigurationError';
  }
}

/** The variables a schema declares: those with at least one rule. */
export function variablesOf(schema: ConfigSchema): string[] {
  const metadata = getMetadataStorage().getTargetValidationMetadatas(schema, '', true, false);
  return [...new Set(metadata.map((m) => m.propertyName))];
}

/**
 * The schema's settings from `env`: a variable unset or empty keeps the class's default. Only the
 * declared variables are read, so nothing else in the environment reaches the validator.
 */
function settingsOf<T extends object>(schema: ConfigSchema<T>, env: NodeJS.ProcessEnv): T {
  const plain = Object.fromEntries(
    variablesOf(schema).flatMap((name) => (env[name] === undefined || env[name] === '' ? [] : [[name, env[name]]])),
  );
  return plainToInstance(schema, plain);
}

/** Every fault of `env` against the schemas, in the order the schemas declare their variables. */
export function checkConfig(schemas: readonly ConfigSchema[], env: NodeJS.ProcessEnv = process.env): ConfigFault[] {
  return schemas.flatMap((schema) => faultsOf(validateSync(settingsOf(schema, env))));
}

/** The schema's settings, typed and with their defaults; throws ConfigurationError when any is at fault. */
export function readConfig<T extends object>(schema: ConfigSchema<T>, env: NodeJS.ProcessEnv = process.env): T {
  const settings = settingsOf(schema, env);
  const faults = faultsOf(validateSync(settings));
  if (faults.length > 0) throw new ConfigurationError(faults);
  return settings;
}

// A variable breaking several rules is named once, with the first (its rules say the whole of it).
function faultsOf(errors: ValidationError[]): ConfigFault[] {
  return errors.map((e) => ({ variable: e.property, rule: Object.values(e.constraints ?? {})[0] ?? 'is invalid' }));
}
