import { isCursorTimestamp, PageCursor } from '../page-cursor';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Where a page of a queue ends: keyset pagination on (priority rank, created_at, id). */
export const QUEUE_CURSOR = new PageCursor({
  rank: (rank) => /^[0-2]$/.test(rank),
  createdAt: isCursorTimestamp,
  id: (id) => UUID.test(id),
});

/** A request field holding a cursor returned by a previous page of a queue. */
export const IsQueueCursor = () => QUEUE_CURSOR.validator('isQueueCursor');
