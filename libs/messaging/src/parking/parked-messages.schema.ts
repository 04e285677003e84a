import type { QueryRunner } from 'typeorm';

/**
 * DDL for the messages a consumer group parked: a key whose message kept failing, and every later
 * message of that key, in Kafka order, until an operator retries or releases them.
 */
export async function createParkedMessagesTable(runner: QueryRunner, schema: string): Promise<void> {
  await runner.query(`
    CREATE TABLE "${schema}".parked_messages (
      id           bigserial PRIMARY KEY,
      group_id     text        NOT NULL,
      topic        text        NOT NULL,
      partition    int         NOT NULL,
      kafka_offset bigint      NOT NULL,
      key          text,
      value        text,
      headers      jsonb       NOT NULL DEFAULT '{}'::jsonb,
      code         text        NOT NULL,
      error_class  text,
      parked_at    timestamptz NOT NULL DEFAULT now(),
      UNIQUE (group_id, topic, partition, kafka_offset)
    )`);
  // Every batch asks whether its keys are parked: one index probe per key.
  await runner.query(
    `CREATE INDEX parked_messages_key ON "${schema}".parked_messages (group_id, topic, key, partition, kafka_offset)`,
  );
}
