import { EVENT_JSON_LIMITS, parseBoundedJson, wellFormedEventId } from '@ruta/contracts';
import type { DataSource, EntityManager } from 'typeorm';
import type { BatchHandler, BatchOutcome } from '../consumer/consumed-message';
import { errorClassOf } from '../consumer/failure-kind';
import type { DeadLetter } from '../dead-letters/dead-letter';
import type { ParkedMessage, ParkedMessagesStore, ParkedSelector } from './parked-messages.store';

/** Code of a parked message an operator released to the dead-letter topic. */
export const RELEASED_CODE = 'MESSAGE.RELEASED';

/** A parked message that failed again on retry, by position and error class. */
export interface ParkedFailure {
  topic: string;
  partition: number;
  offset: string;
  errorClass: string;
}

export interface ParkedRetryReport {
  retried: number;
  /** The first failure of each key that failed again: its messages stay parked, in order. */
  failed: ParkedFailure[];
}

export interface ParkedReleaseReport {
  released: number;
}

/** One transaction of the consumer: `work`'s writes and dead letters, reported once committed. */
export type Transact = (topic: string, work: (manager: EntityManager) => Promise<BatchOutcome>) => Promise<void>;

export interface ParkingContext {
  dataSource: DataSource;
  store: ParkedMessagesStore;
  handler: BatchHandler;
  transact: Transact;
}

/**
 * Re-applies each selected key's parked messages in Kafka order through the consumer's handler,
 * each in one transaction with the deletion of its row; a key stops at its first failure.
 */
export async function retryParked(context: ParkingContext, selector: ParkedSelector): Promise<ParkedRetryReport> {
  const { dataSource, store, handler, transact } = context;
  const report: ParkedRetryReport = { retried: 0, failed: [] };
  for (const lane of await store.lanes(dataSource.manager, selector)) {
    for (;;) {
      let next: ParkedMessage | undefined;
      try {
        await transact(lane.topic, async (manager) => {
          await store.lockExclusive(manager, lane.topic);
          [next] = await store.messagesOf(manager, lane, 1);
          if (!next) return {};
          const outcome = (await handler([next.message], manager)) ?? {};
          await store.remove(manager, [next.id]);
          return outcome;
        });
      } catch (error) {
        if (!next) throw error;
        const { topic, partition, offset } = next.message;
        report.failed.push({ topic, partition, offset, errorClass: errorClassOf(error) });
        break;
      }
      if (!next) break;
      report.retried += 1;
    }
  }
  return report;
}

const RELEASE_CHUNK = 500;

/**
 * Moves each selected key's parked messages to the dead-letter topic (code MESSAGE.RELEASED), so the
 * key flows again; the redrive can bring them back once the fault is mended.
 */
export async function releaseParked(context: ParkingContext, selector: ParkedSelector): Promise<ParkedReleaseReport> {
  const { dataSource, store, transact } = context;
  const report: ParkedReleaseReport = { released: 0 };
  for (const lane of await store.lanes(dataSource.manager, selector)) {
    let moved: number;
    do {
      moved = 0;
      await transact(lane.topic, async (manager) => {
        await store.lockExclusive(manager, lane.topic);
        const parked = await store.messagesOf(manager, lane, RELEASE_CHUNK);
        await store.remove(
          manager,
          parked.map((p) => p.id),
        );
        moved = parked.length;
        return { deadLetters: parked.map(releasedLetter) };
      });
      report.released += moved;
    } while (moved === RELEASE_CHUNK);
  }
  return report;
}

function releasedLetter({ message, code }: ParkedMessage): DeadLetter {
  return {
    topic: message.topic,
    partition: message.partition,
    offset: message.offset,
    code: RELEASED_CODE,
    errors: [{ field: '', messages: [`released by an operator after it was parked (${code})`] }],
    eventId: eventIdOf(message.value),
  };
}

/** The message's event id when it is a well-formed one, read within the consumers' bounds. */
function eventIdOf(value: string | null): string | undefined {
  const parsed = parseBoundedJson(value ?? '', EVENT_JSON_LIMITS);
  return parsed.ok ? wellFormedEventId(parsed.value) : undefined;
}
