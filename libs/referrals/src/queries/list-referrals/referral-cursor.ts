import { isCursorTimestamp, PageCursor } from '../page-cursor';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Where a page of referrals ends: keyset pagination on (created_at, id). */
export const REFERRAL_CURSOR = new PageCursor({ createdAt: isCursorTimestamp, id: (id) => UUID.test(id) });

/** A request field holding a cursor returned by a previous page of referrals. */
export const IsReferralCursor = () => REFERRAL_CURSOR.validator('isReferralCursor');
