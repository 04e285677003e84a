import type { Sector } from '@ruta/contracts';
import type { OutgoingMessage } from '@ruta/messaging';
import type { CaseworkEvent, LifecycleState } from '../../domain/lifecycle';
import { factsOf, referralEventMessage } from '../../messages/referral-event-message';

/** One decided event with the referral's state before and after it. */
export interface Applied {
  event: CaseworkEvent;
  before: LifecycleState;
  after: LifecycleState;
}

/**
 * The published data of an event: the referral's facts after it, who acted and when, and a reason
 * or outcome CODE. The note stays in the sector's timeline: it is free text and may name people.
 */
function dataOf(sector: Sector, { event, before, after }: Applied, ruleSetVersion: string): Record<string, unknown> {
  const facts = factsOf(sector, after, ruleSetVersion);
  const by = { ...facts, actor: event.actor };
  switch (event.type) {
    case 'referral.accepted':
      return { ...by, ...(event.assignee ? { assignee: event.assignee } : {}), acceptedAt: event.at };
    case 'referral.rejected':
      return { ...by, reason: event.reason.code, rejectedAt: event.at };
    case 'referral.cancelled':
      // ReferralCancelledV1, as routing publishes it: the reason code and when.
      return { ...facts, reason: event.reason.code, cancelledAt: event.at };
    case 'referral.started':
      return { ...by, startedAt: event.at };
    case 'referral.put-on-hold':
      return { ...by, reason: event.reason.code, heldAt: event.at };
    case 'referral.resumed':
      return { ...by, resumedAt: event.at };
    case 'referral.completed':
      return { ...by, outcome: event.outcome.code, completedAt: event.at };
    case 'referral.failed':
      return { ...by, reason: event.reason.code, failedAt: event.at };
    case 'referral.assigned':
      return {
        ...by,
        assignee: event.assignee,
        ...(event.previousAssignee ? { previousAssignee: event.previousAssignee } : {}),
        assignedAt: event.at,
      };
    case 'referral.transferred':
      return {
        ...by,
        fromServicePointId: event.fromServicePointId,
        ...(before.stationId ? { fromStationId: before.stationId } : {}),
        transferredAt: event.at,
      };
    case 'referral.referred-onward':
      return {
        ...factsOf(sector, before, ruleSetVersion),
        toSector: event.toSector,
        onwardReferralType: event.onwardReferralType,
        onwardLegalBasis: event.legalBasis,
        reason: event.reason.code,
        referredAt: event.at,
      };
  }
}

/** The referrals.events.v1 messages of a command's events, keyed by person, from ruta/<sector>-service. */
export function caseworkMessages(
  sector: Sector,
  ruleSetVersion: string,
  applied: readonly Applied[],
): OutgoingMessage[] {
  return applied.map((one) =>
    referralEventMessage(sector, one.event.type, one.after.personId, one.event.at, dataOf(sector, one, ruleSetVersion)),
  );
}

/** What the timeline keeps of an event beside its type, actor and time: everything, the note included. */
export function timelineData(event: CaseworkEvent): Record<string, unknown> {
  const { type: _type, referralId: _id, actor: _actor, at: _at, ...data } = event;
  return data;
}
