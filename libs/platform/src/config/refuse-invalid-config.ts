import { checkConfig, type ConfigSchema } from './config-schema';

/** sysexits EX_CONFIG: the orchestrator sees a configuration error, not a crash. */
export const CONFIG_EXIT_CODE = 78;

/**
 * Checks the environment against the schemas; when anything is at fault, writes one stderr line
 * per variable (its name and rule, never its value) and answers false.
 */
export function reportConfigFaults(
  schemas: readonly ConfigSchema[],
  env: NodeJS.ProcessEnv = process.env,
  write: (line: string) => void = (line) => process.stderr.write(line),
): boolean {
  const faults = checkConfig(schemas, env);
  for (const { variable, rule } of faults) write(`configuration: ${variable} ${rule}\n`);
  if (faults.length > 0) write(`configuration: refusing to start, ${faults.length} setting(s) at fault\n`);
  return faults.length === 0;
}
