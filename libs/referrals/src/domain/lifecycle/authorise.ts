import { CASEWORKER, hasRole, SUPERVISOR, SYSTEM, type Actor } from './actor';
import type { LifecycleCommand, LifecycleCommandKind } from './lifecycle-commands';
import { LIFECYCLE_CODES as C, refuse, type Refused } from './lifecycle-result';
import type { LifecycleState } from './lifecycle-state';

const WORKERS = [CASEWORKER, SUPERVISOR];

/**
 * Who may send each command (PRODUCT.md "Who uses it"): caseworkers work referrals, supervisors
 * can do all a caseworker does plus assign, reassign and cancel; routing's system actor only
 * cancels. Border agents, auditors, coordinators and admins change no referral.
 */
export const RIGHTS: Record<LifecycleCommandKind, readonly string[]> = {
  accept: WORKERS,
  reject: WORKERS,
  cancel: [SUPERVISOR, SYSTEM],
  start: WORKERS,
  hold: WORKERS,
  resume: WORKERS,
  complete: WORKERS,
  fail: WORKERS,
  assign: [SUPERVISOR],
  reassign: [SUPERVISOR],
  transfer: WORKERS,
  'refer-onward': WORKERS,
};

/**
 * Whether the actor's scope reaches a referral (or deferral) of `sector` at `servicePointId`: the
 * sector always binds; the service point binds caseworkers only. A supervisor acts across every
 * service point of their sector, and routing's system actor across its whole sector (lead's rule).
 */
export function inScope(actor: Actor, sector: string, servicePointId: string): boolean {
  if (actor.sector !== sector) return false;
  if (hasRole(actor, SYSTEM) || hasRole(actor, SUPERVISOR)) return true;
  return actor.servicePointId !== null && actor.servicePointId === servicePointId;
}

/**
 * Scope first (another sector, or for a caseworker another service point, is "not found"), then
 * the role, then the holder: a caseworker acts on a referral nobody holds or they hold; a
 * supervisor reassigns the rest.
 */
export function authorise(state: LifecycleState, command: LifecycleCommand): Refused | null {
  const { actor } = command;
  const system = hasRole(actor, SYSTEM);
  if (!inScope(actor, state.sector, state.servicePointId)) return refuse(C.OUT_OF_SCOPE, 'referral not found');
  const rights = RIGHTS[command.kind];
  if (!rights.some((role) => hasRole(actor, role))) {
    return refuse(C.FORBIDDEN, `${command.kind} needs the role ${rights.join(' or ')}`);
  }
  const holder = system || hasRole(actor, SUPERVISOR) || state.assignee === null || state.assignee === actor.subject;
  if (!holder) return refuse(C.FORBIDDEN, `${command.kind}: the referral is assigned to another caseworker`);
  return null;
}
