import type { EntityManager } from 'typeorm';

export interface OutgoingMessage {
  topic: string;
  /** The partition key: the person id, so a person's events stay in order. */
  key: string;
  value: unknown;
  headers?: Record<string, string>;
}

/** Adds messages to the outbox inside the caller's transaction, in one multi-row insert. */
export async function enqueueOutbox(manager: EntityManager, schema: string, messages: OutgoingMessage[]) {
  if (messages.length === 0) return;
  await manager.query(
    `INSERT INTO "${schema}".outbox (topic, key, value, headers)
     SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::jsonb[])`,
    [
      messages.map((m) => m.topic),
      messages.map((m) => m.key),
      messages.map((m) => JSON.stringify(m.value)),
      messages.map((m) => JSON.stringify(m.headers ?? {})),
    ],
  );
}
