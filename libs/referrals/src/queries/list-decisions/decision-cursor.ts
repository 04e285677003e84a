import { PageCursor } from '../page-cursor';

const MAX_BIGINT = 9223372036854775807n;
/** A decisions.id as PostgreSQL hands it out: a positive bigint. */
const isDecisionId = (id: string) => /^[1-9]\d{0,18}$/.test(id) && BigInt(id) <= MAX_BIGINT;

/** Where a page of a person's decisions ends: keyset pagination on id, the order they were recorded in. */
export const DECISION_CURSOR = new PageCursor({ id: isDecisionId });

/** A request field holding a cursor returned by a previous page of decisions. */
export const IsDecisionCursor = () => DECISION_CURSOR.validator('isDecisionCursor');
