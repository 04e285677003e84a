import type { LegalBasis, Priority, Sector } from '@ruta/contracts';
import type { LifecycleEvent, OutcomeCode, Reasoned, ReasonCode, ReasonedCommand } from '@ruta/referrals';

type Data = Record<string, unknown>;

const text = (data: Data, field: string): string => String(data[field]);
const optional = (data: Data, field: string): string | null =>
  typeof data[field] === 'string' ? (data[field] as string) : null;

/** A reason as the log has it: the code only, since notes never travel. */
const reason = <K extends ReasonedCommand>(data: Data): Reasoned<ReasonCode<K>> => ({
  code: text(data, 'reason') as ReasonCode<K>,
  note: null,
});

/** The types whose events change a referral's lifecycle state. */
export const LIFECYCLE_EVENT_TYPES = [
  'referral.requested',
  'referral.priority-raised',
  'referral.reassigned',
  'referral.accepted',
  'referral.rejected',
  'referral.cancelled',
  'referral.started',
  'referral.put-on-hold',
  'referral.resumed',
  'referral.completed',
  'referral.failed',
  'referral.assigned',
  'referral.transferred',
  'referral.referred-onward',
] as const satisfies readonly LifecycleEvent['type'][];

/**
 * The lifecycle event a logged referral event stands for, so the lifecycle's own evolve folds it:
 * `data` is what the contract of `type` accepted (the consumer validated it before the log took
 * it), `at` the instant it happened, `actor` who acted (the log's actor column). Null for any
 * other type.
 */
export function lifecycleEventOf(type: string, data: Data, at: string, actor: string): LifecycleEvent | null {
  const happened = { referralId: text(data, 'referralId'), actor, at };
  const point = { servicePointId: text(data, 'servicePointId'), stationId: optional(data, 'stationId') };
  switch (type) {
    case 'referral.requested':
      return {
        ...happened,
        ...point,
        type,
        personId: text(data, 'personId'),
        sector: data.sector as Sector,
        referralType: text(data, 'referralType'),
        priority: data.priority as Priority,
        legalBasis: data.legalBasis as LegalBasis,
      };
    case 'referral.priority-raised':
      return { ...happened, type, priority: data.priority as Priority };
    case 'referral.reassigned':
      return { ...happened, ...point, type };
    case 'referral.accepted':
      return { ...happened, type, assignee: optional(data, 'assignee') };
    case 'referral.rejected':
      return { ...happened, type, reason: reason<'reject'>(data) };
    case 'referral.cancelled':
      return { ...happened, type, reason: reason<'cancel'>(data) };
    case 'referral.started':
    case 'referral.resumed':
      return { ...happened, type };
    case 'referral.put-on-hold':
      return { ...happened, type, reason: reason<'hold'>(data) };
    case 'referral.completed':
      return { ...happened, type, outcome: { code: text(data, 'outcome') as OutcomeCode, note: null } };
    case 'referral.failed':
      return { ...happened, type, reason: reason<'fail'>(data) };
    case 'referral.assigned':
      return {
        ...happened,
        type,
        assignee: text(data, 'assignee'),
        previousAssignee: optional(data, 'previousAssignee'),
      };
    case 'referral.transferred':
      return { ...happened, ...point, type, fromServicePointId: text(data, 'fromServicePointId') };
    case 'referral.referred-onward':
      return {
        ...happened,
        type,
        personId: text(data, 'personId'),
        fromSector: data.sector as Sector,
        toSector: data.toSector as Sector,
        onwardReferralType: text(data, 'onwardReferralType'),
        legalBasis: data.onwardLegalBasis as LegalBasis,
        reason: reason<'refer-onward'>(data),
      };
    default:
      return null;
  }
}
