import { Logger as NestLogger } from '@nestjs/common';
import type { Logger } from 'typeorm';
import { describeError } from './database-errors';

/**
 * TypeORM's own loggers print a failed query with its parameters, and those are personal data
 * (names, birth dates, indicators). This one names the failure by SQLSTATE and shows the statement
 * without its parameters; migrations and warnings pass through.
 */
export class RedactingQueryLogger implements Logger {
  private readonly logger = new NestLogger('Database');

  logQuery(): void {}

  logQuerySlow(time: number, query: string): void {
    this.logger.warn(`slow query (${time} ms): ${statement(query)}`);
  }

  logQueryError(error: string | Error, query: string): void {
    const reason = typeof error === 'string' ? 'error' : describeError(error);
    this.logger.warn(`query failed, ${reason}: ${statement(query)}`);
  }

  logSchemaBuild(): void {}

  logMigration(message: string): void {
    this.logger.log(message);
  }

  log(level: 'log' | 'info' | 'warn', message: unknown): void {
    if (level === 'warn') this.logger.warn(String(message));
  }
}

/** The statement's first 160 characters on one line: placeholders, never values. */
function statement(query: string): string {
  const line = query.replace(/\s+/g, ' ').trim();
  return line.length > 160 ? `${line.slice(0, 160)}…` : line;
}
