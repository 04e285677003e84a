import type { CloudEvent, LegalBasis, Priority, Sector } from '@ruta/contracts';
import { caseworkEventOf, type LifecycleEvent } from '@ruta/referrals';

type Data = Record<string, unknown>;

const text = (data: Data, field: string): string => String(data[field]);
const optional = (data: Data, field: string): string | null =>
  typeof data[field] === 'string' ? (data[field] as string) : null;

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
    default: {
      // Casework's events read back as the rebuild reads them, at the log's instant and actor.
      const casework = caseworkEventOf({ type, data } as CloudEvent);
      return casework ? { ...casework, at, actor } : null;
    }
  }
}
