/** Quotes a schema-qualified table for SQL we build ourselves (schema names are pre-validated). */
export function table(schema: string, name: string): string {
  return `"${schema}"."${name}"`;
}
