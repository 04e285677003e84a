/** DATABASE_URL, or the local server's `ruta` database. */
export function databaseUrl(): string {
  return process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/ruta';
}

/** Schema names are identifiers we interpolate into SQL: allow only plain lowercase names. */
export function assertSchemaName(schema: string): string {
  if (!/^[a-z][a-z0-9_]{0,62}$/.test(schema)) throw new Error(`invalid schema name: ${schema}`);
  return schema;
}
