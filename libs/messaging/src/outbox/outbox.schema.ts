import type { QueryRunner } from 'typeorm';

/** DDL for a service's transactional outbox, used from that service's own migration. */
export async function createOutboxTable(runner: QueryRunner, schema: string): Promise<void> {
  await runner.query(`
    CREATE TABLE "${schema}".outbox (
      id         bigserial PRIMARY KEY,
      topic      text        NOT NULL,
      key        text        NOT NULL,
      value      text        NOT NULL,
      headers    jsonb       NOT NULL DEFAULT '{}'::jsonb,
      created_at timestamptz NOT NULL DEFAULT now()
    )`);
}

/** DDL for a consumer's inbox: the ids of the events whose effects are committed. */
export async function createInboxTable(runner: QueryRunner, schema: string): Promise<void> {
  await runner.query(`
    CREATE TABLE "${schema}".inbox (
      event_id     text PRIMARY KEY,
      processed_at timestamptz NOT NULL DEFAULT now()
    )`);
}
