import { Query } from '@nestjs/cqrs';
import type { LogEntry } from '../../merkle';

/** Which entries: one person's, one referral's, one service point's, or those appended in [from, to). */
export type HistoryFilter =
  | { kind: 'person'; personId: string }
  | { kind: 'referral'; referralId: string }
  | { kind: 'service-point'; servicePointId: string }
  | { kind: 'range'; from: Date; to: Date };

/** One entry of the log as the auditor reads it: every field its leaf covers, and the event its bytes carry. */
export type HistoryEntry = Omit<LogEntry, 'bytes'> & { event: unknown };

/** The last line of every answer: how many entries it held and, when more remain, where to go on. */
export interface HistoryEnd {
  end: true;
  entries: number;
  nextCursor?: string;
}

export type HistoryLine = HistoryEntry | HistoryEnd;

/** The entries of a filter in position order, read lazily: the answer streams as PostgreSQL pages it. */
export class HistoryQuery extends Query<AsyncIterable<HistoryLine>> {
  constructor(
    readonly filter: HistoryFilter,
    readonly limit: number,
    readonly after: string | undefined,
    readonly includeAccesses: boolean,
  ) {
    super();
  }
}
