import type { Priority } from '@ruta/contracts';
import type { RoutingDecision } from '@ruta/routing';
import { isHigherPriority } from './referral';

export interface OpenReferral {
  id: string;
  type: string;
  priority: Priority;
}

export type ReferralAction =
  | { kind: 'create'; decision: RoutingDecision }
  | { kind: 'raise-priority'; referralId: string; decision: RoutingDecision }
  | { kind: 'defer'; decision: RoutingDecision };

/**
 * Turns a person's routing decisions into actions against their open referrals: at most one open
 * referral per type; a higher priority raises the open one instead of creating a second.
 */
export function planReferrals(decisions: RoutingDecision[], open: ReadonlyMap<string, OpenReferral>): ReferralAction[] {
  const actions: ReferralAction[] = [];
  for (const decision of decisions) {
    if (decision.outcome === 'deferred') {
      if (!open.has(decision.referralType)) actions.push({ kind: 'defer', decision });
      continue;
    }
    const existing = open.get(decision.referralType);
    if (!existing) actions.push({ kind: 'create', decision });
    else if (isHigherPriority(decision.priority, existing.priority)) {
      actions.push({ kind: 'raise-priority', referralId: existing.id, decision });
    }
  }
  return actions;
}
