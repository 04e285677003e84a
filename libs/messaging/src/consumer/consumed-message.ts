import type { IHeaders } from 'kafkajs';
import type { EntityManager } from 'typeorm';
import type { DeadLetter } from '../dead-letters/dead-letter';

export interface ConsumedMessage {
  topic: string;
  partition: number;
  offset: string;
  key: string | null;
  value: string | null;
  /** The value exactly as it was on the wire (what the audit log stores and hashes); `value` is its UTF-8 text. */
  bytes: Buffer | null;
  headers: IHeaders;
}

/** What a handler reports besides its own writes: messages to dead-letter, in the same transaction. */
export interface BatchOutcome {
  deadLetters?: DeadLetter[];
  /** The handler queued messages in the outbox: the relay is woken once the batch commits. */
  wroteOutbox?: boolean;
  /** Runs once the batch's transaction committed (metrics): never for a batch rolled back and retried. */
  onCommit?: () => void;
}

/**
 * Applies one partition's batch inside one database transaction. Throwing rolls the transaction
 * back and retries the same batch (same order) with backoff.
 */
export type BatchHandler = (messages: ConsumedMessage[], manager: EntityManager) => Promise<BatchOutcome | void>;
