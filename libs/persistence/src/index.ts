export * from './database-config';
export * from './data-source';
export * from './migrate';
export * from './persistence.module';
export * from './sql';
export * from './database-errors';
export * from './redacting-query-logger';
