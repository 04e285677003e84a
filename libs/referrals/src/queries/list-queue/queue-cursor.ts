import { isCursorTimestamp, isCursorUuid, PageCursor } from '../page-cursor';

/** Where a page of a queue ends: keyset pagination on (priority rank, created_at, id). */
export const QUEUE_CURSOR = new PageCursor({
  rank: (rank) => /^[0-2]$/.test(rank),
  createdAt: isCursorTimestamp,
  id: isCursorUuid,
});

/** A request field holding a cursor returned by a previous page of a queue. */
export const IsQueueCursor = () => QUEUE_CURSOR.validator('isQueueCursor');
