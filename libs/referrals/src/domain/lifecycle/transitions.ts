import { OPEN_STATUSES, type ReferralStatus } from '../referral';
import { hasRole, SYSTEM } from './actor';
import type { LifecycleCommand, LifecycleCommandKind } from './lifecycle-commands';

/**
 * The statuses each command applies from, as PRODUCT.md "Referral lifecycle" draws them:
 * requested → accepted | rejected | cancelled; accepted → in-progress ⇄ on-hold;
 * in-progress → completed | failed. Assignment works on any open referral; a transfer moves one
 * nobody is actively working on (put it on hold first); an onward referral comes from a sector
 * that accepted the referral.
 */
export const APPLIES_FROM: Record<LifecycleCommandKind, readonly ReferralStatus[]> = {
  accept: ['requested'],
  reject: ['requested'],
  cancel: ['requested'],
  start: ['accepted'],
  hold: ['in-progress'],
  resume: ['on-hold'],
  complete: ['in-progress'],
  fail: ['in-progress'],
  assign: OPEN_STATUSES,
  reassign: OPEN_STATUSES,
  transfer: ['requested', 'accepted', 'on-hold'],
  'refer-onward': ['accepted', 'in-progress', 'on-hold'],
};

/**
 * People cancel only what nobody took up (work begun ends completed or failed, with a reason,
 * which keeps the outcome figures honest); routing, on person.departed, cancels any open one.
 */
export function appliesFrom(command: LifecycleCommand): readonly ReferralStatus[] {
  if (command.kind === 'cancel' && hasRole(command.actor, SYSTEM)) return OPEN_STATUSES;
  return APPLIES_FROM[command.kind];
}
