import { isCursorTimestamp, isCursorUuid, PageCursor } from '../page-cursor';

/** Where a page of referrals ends: keyset pagination on (created_at, id). */
export const REFERRAL_CURSOR = new PageCursor({ createdAt: isCursorTimestamp, id: isCursorUuid });

/** A request field holding a cursor returned by a previous page of referrals. */
export const IsReferralCursor = () => REFERRAL_CURSOR.validator('isReferralCursor');
