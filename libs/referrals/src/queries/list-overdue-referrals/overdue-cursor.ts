import { isCursorTimestamp, isCursorUuid, PageCursor } from '../page-cursor';

/** Where a page of overdue referrals ends: keyset pagination on (earliest missed deadline, id). */
export const OVERDUE_CURSOR = new PageCursor({ dueAt: isCursorTimestamp, id: isCursorUuid });

export const IsOverdueCursor = () => OVERDUE_CURSOR.validator('isOverdueCursor');
