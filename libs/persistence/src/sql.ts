/** Quotes a schema-qualified table for SQL we build ourselves (schema names are pre-validated). */
export function table(schema: string, name: string): string {
  return `"${schema}"."${name}"`;
}

/** Runs one SQL statement: a TypeORM DataSource's or EntityManager's `query`, or a pg client's rows. */
export type Sql = <T>(sql: string, params?: unknown[]) => Promise<T[]>;

/** The Sql of a TypeORM DataSource or EntityManager. */
export function sqlOf(queryable: { query: (sql: string, params?: unknown[]) => Promise<unknown> }): Sql {
  return async <T>(sql: string, params?: unknown[]) => (await queryable.query(sql, params)) as T[];
}
