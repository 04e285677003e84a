import { RouteIntakeEventsStore } from '../route-intake-events/route-intake-events.store';

/**
 * Routing's own store (the same person locks, in the same order, and the same writes, the new
 * referrals' timelines included): onward referrals are routed like intake events.
 */
export class RouteOnwardReferralsStore extends RouteIntakeEventsStore {
  constructor(schemaName: string) {
    super(schemaName, false);
  }
}
