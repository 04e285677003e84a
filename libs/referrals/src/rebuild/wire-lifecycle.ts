import {
  REFERRAL_ACCEPTED,
  REFERRAL_ASSIGNED,
  REFERRAL_CANCELLED,
  REFERRAL_COMPLETED,
  REFERRAL_FAILED,
  REFERRAL_PUT_ON_HOLD,
  REFERRAL_REFERRED_ONWARD,
  REFERRAL_REJECTED,
  REFERRAL_RESUMED,
  REFERRAL_STARTED,
  REFERRAL_TRANSFERRED,
  type CloudEvent,
} from '@ruta/contracts';
import type { CaseworkEvent, Reasoned } from '../domain/lifecycle';

/**
 * The actor of an event whose published data names none (a cancel and an onward referral publish
 * no actor; the timeline kept the caller's subject): the rebuilt timeline row leaves it unknown and
 * the diff does not compare it.
 */
export const ACTOR_NOT_ON_THE_WIRE = '';

type Data = Record<string, string | undefined>;

/**
 * Reads a published casework event back into the lifecycle event casework decided, as far as the
 * wire carries it: reason and outcome CODES (a note is free text and never published, so it comes
 * back null), times as published (casework writes the same instant to its row and its message).
 * Undefined for a type that is not casework's (routing's own events are replayed, not read back).
 */
export function caseworkEventOf(event: CloudEvent): CaseworkEvent | undefined {
  const data = event.data as Data;
  const referralId = data.referralId!;
  const actor = data.actor ?? ACTOR_NOT_ON_THE_WIRE;
  const coded = (code: string | undefined): Reasoned<never> => ({ code: code as never, note: null });
  switch (event.type) {
    case REFERRAL_ACCEPTED:
      return { type: event.type, referralId, actor, at: data.acceptedAt!, assignee: data.assignee ?? null };
    case REFERRAL_REJECTED:
      return { type: event.type, referralId, actor, at: data.rejectedAt!, reason: coded(data.reason) };
    case REFERRAL_CANCELLED:
      return { type: event.type, referralId, actor, at: data.cancelledAt!, reason: coded(data.reason) };
    case REFERRAL_STARTED:
      return { type: event.type, referralId, actor, at: data.startedAt! };
    case REFERRAL_PUT_ON_HOLD:
      return { type: event.type, referralId, actor, at: data.heldAt!, reason: coded(data.reason) };
    case REFERRAL_RESUMED:
      return { type: event.type, referralId, actor, at: data.resumedAt! };
    case REFERRAL_COMPLETED:
      return { type: event.type, referralId, actor, at: data.completedAt!, outcome: coded(data.outcome) };
    case REFERRAL_FAILED:
      return { type: event.type, referralId, actor, at: data.failedAt!, reason: coded(data.reason) };
    case REFERRAL_ASSIGNED:
      return {
        type: event.type,
        referralId,
        actor,
        at: data.assignedAt!,
        assignee: data.assignee!,
        previousAssignee: data.previousAssignee ?? null,
      };
    case REFERRAL_TRANSFERRED:
      return {
        type: event.type,
        referralId,
        actor,
        at: data.transferredAt!,
        fromServicePointId: data.fromServicePointId!,
        servicePointId: data.servicePointId!,
        stationId: data.stationId ?? null,
      };
    case REFERRAL_REFERRED_ONWARD:
      return {
        type: event.type,
        referralId,
        actor,
        at: data.referredAt!,
        personId: data.personId!,
        fromSector: data.sector as never,
        toSector: data.toSector as never,
        onwardReferralType: data.onwardReferralType!,
        legalBasis: data.onwardLegalBasis as never,
        reason: coded(data.reason),
      };
    default:
      return undefined;
  }
}
