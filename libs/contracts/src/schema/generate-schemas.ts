import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { format, resolveConfig } from 'prettier';
import { buildJsonSchemas } from './json-schema';

/** Writes libs/contracts/schemas (the folder given as argument), removing schemas no contract has. */
async function main(outDir: string): Promise<void> {
  const files = buildJsonSchemas();
  const wanted = new Set(files.map((f) => join(outDir, f.path)));
  for (const stale of listSchemas(outDir).filter((path) => !wanted.has(path))) rmSync(stale);
  for (const file of files) {
    const path = join(outDir, file.path);
    mkdirSync(dirname(path), { recursive: true });
    const options = { ...(await resolveConfig(path)), parser: 'json' };
    writeFileSync(path, await format(JSON.stringify(file.schema), options));
  }
  process.stdout.write(`wrote ${files.length} schemas to ${relative(process.cwd(), outDir) || '.'}\n`);
}

function listSchemas(dir: string): string[] {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return [];
  }
  return entries.flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return listSchemas(path);
    return entry.name.endsWith('.schema.json') ? [path] : [];
  });
}

const outDir = process.argv[2];
if (!outDir) {
  process.stderr.write('usage: generate-schemas <output folder>\n');
  process.exit(2);
}
main(outDir).catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
