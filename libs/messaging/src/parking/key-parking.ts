import { Logger } from '@nestjs/common';
import type { DataSource, EntityManager } from 'typeorm';
import type { BatchHandler, ConsumedMessage } from '../consumer/consumed-message';
import { ParkedMessagesStore, type ParkedEntry, type ParkedSelector } from './parked-messages.store';
import {
  releaseParked,
  retryParked,
  type ParkedReleaseReport,
  type ParkedRetryReport,
  type Transact,
} from './parked-operations';
import { parkedTotal, watchParkedMessages } from './parking.metrics';

/** Code of the message that kept failing unexpectedly and was parked. */
export const PARKED_FAILED_CODE = 'MESSAGE.FAILED';
/** Code of a message parked because an earlier message of its key is parked. */
export const PARKED_BEHIND_CODE = 'MESSAGE.BEHIND_PARKED';

/**
 * A consumer group's key-level parking: a key whose message kept failing waits, with every later
 * message of that key, in order, while the other keys flow; operators retry or release it.
 */
export class KeyParking {
  private readonly logger = new Logger('BatchConsumer');
  private readonly store: ParkedMessagesStore;

  constructor(
    private readonly dataSource: DataSource,
    schema: string,
    private readonly group: string,
    topics: readonly string[],
  ) {
    this.store = new ParkedMessagesStore(schema, group);
    watchParkedMessages({ dataSource, store: this.store, topics });
  }

  /** In the batch's transaction: parks the messages whose key is parked and returns them. */
  async holdBack(manager: EntityManager, messages: ConsumedMessage[]): Promise<ConsumedMessage[]> {
    const parked = await this.store.parkedKeys(manager, messages);
    const behind = messages.filter((m) => m.key !== null && parked.has(m.key));
    await this.store.park(manager, behind, PARKED_BEHIND_CODE, null);
    return behind;
  }

  /** A handler that parks the message that kept failing (its own transaction, like a dead letter). */
  parkFailed(errorClass: string): BatchHandler {
    return async (messages, manager) => {
      await this.store.park(manager, messages, PARKED_FAILED_CODE, errorClass);
      return { onCommit: () => this.report(messages, PARKED_FAILED_CODE, errorClass) };
    };
  }

  /** Counted and logged by position and code once committed: never the key or the content. */
  report(messages: ConsumedMessage[], code: string, errorClass: string | null): void {
    for (const m of messages) {
      parkedTotal.inc({ group: this.group, topic: m.topic, code });
      this.logger.warn(
        `group ${this.group}: parked ${m.topic}[${m.partition}]@${m.offset}: ${code}` +
          (errorClass ? ` ${errorClass}` : ' (an earlier message of its key is parked)'),
      );
    }
  }

  list(limit: number): Promise<ParkedEntry[]> {
    return this.store.list(this.dataSource.manager, limit);
  }

  retry(selector: ParkedSelector, handler: BatchHandler, transact: Transact): Promise<ParkedRetryReport> {
    return retryParked({ dataSource: this.dataSource, store: this.store, handler, transact }, selector);
  }

  release(selector: ParkedSelector, handler: BatchHandler, transact: Transact): Promise<ParkedReleaseReport> {
    return releaseParked({ dataSource: this.dataSource, store: this.store, handler, transact }, selector);
  }
}
