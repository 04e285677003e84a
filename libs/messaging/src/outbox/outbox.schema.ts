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

/** Lanes the outbox is split into by key hash; each is published by one relay at a time. */
export const OUTBOX_LANES = 16;

/**
 * Splits the outbox into lanes by key hash. A relay publishes only lanes it holds an advisory
 * lock on, so with several replicas each key (person) is still published by one relay, in order.
 */
export async function addOutboxLanes(runner: QueryRunner, schema: string): Promise<void> {
  await runner.query(
    `ALTER TABLE "${schema}".outbox
     ADD COLUMN lane smallint GENERATED ALWAYS AS ((hashtext(key) & ${OUTBOX_LANES - 1})::smallint) STORED`,
  );
  await runner.query(`CREATE INDEX outbox_lane_id ON "${schema}".outbox (lane, id)`);
}
