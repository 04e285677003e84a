import { isCursorTimestamp, PageCursor } from '../page-cursor';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Where a page of overdue referrals ends: keyset pagination on (earliest missed deadline, id). */
export const OVERDUE_CURSOR = new PageCursor({ dueAt: isCursorTimestamp, id: (id) => UUID.test(id) });

export const IsOverdueCursor = () => OVERDUE_CURSOR.validator('isOverdueCursor');
