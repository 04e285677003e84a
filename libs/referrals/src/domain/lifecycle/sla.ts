import type { Priority } from '@ruta/contracts';
import type { LifecycleState } from './lifecycle-state';

const HOUR = 3_600_000;

/** PRODUCT.md "SLA by priority": acknowledge (accept or reject) and complete (complete or fail). */
export const SLA_MS: Record<Priority, { acknowledge: number; complete: number }> = {
  emergency: { acknowledge: 1 * HOUR, complete: 24 * HOUR },
  urgent: { acknowledge: 24 * HOUR, complete: 72 * HOUR },
  routine: { acknowledge: 72 * HOUR, complete: 14 * 24 * HOUR },
};

export type SlaKind = 'acknowledge' | 'complete';

export interface Sla {
  acknowledgeBy: string;
  completeBy: string;
  /** The earliest deadline an open referral has missed: what a list flags. */
  overdue: SlaKind | null;
}

export interface SlaBreach {
  referralId: string;
  kind: SlaKind;
  dueAt: string;
  /** `${referralId}:${kind}`: the store raises referral.sla-breached once per key. */
  key: string;
}

/**
 * Deadlines run from requestedAt at the current priority (a raise tightens them); a deadline is
 * met when its step happens at or before it. The acknowledge step is acceptedAt or rejectedAt,
 * the complete step completedAt or failedAt; a referral closed otherwise stops the clock too.
 */
function deadlines(state: LifecycleState) {
  const from = Date.parse(state.requestedAt);
  const sla = SLA_MS[state.priority];
  return [
    { kind: 'acknowledge' as const, dueAt: from + sla.acknowledge, doneAt: state.acknowledgedAt ?? state.closedAt },
    { kind: 'complete' as const, dueAt: from + sla.complete, doneAt: state.finishedAt ?? state.closedAt },
  ];
}

export function slaOf(state: LifecycleState, now: Date): Sla {
  const both = deadlines(state);
  const [acknowledge, complete] = both;
  const missed = both.find((d) => d.doneAt === null && now.getTime() > d.dueAt);
  return {
    acknowledgeBy: new Date(acknowledge.dueAt).toISOString(),
    completeBy: new Date(complete.dueAt).toISOString(),
    overdue: missed?.kind ?? null,
  };
}

/**
 * Breaches due by now: every deadline passed before its step (or the close) happened, even when
 * the scheduler looks late, so a scheduler that was down still raises each breach once.
 */
export function breachesAt(state: LifecycleState, now: Date): SlaBreach[] {
  return deadlines(state)
    .filter((d) => now.getTime() > d.dueAt && (d.doneAt === null || Date.parse(d.doneAt) > d.dueAt))
    .map((d) => ({
      referralId: state.id,
      kind: d.kind,
      dueAt: new Date(d.dueAt).toISOString(),
      key: `${state.id}:${d.kind}`,
    }));
}
