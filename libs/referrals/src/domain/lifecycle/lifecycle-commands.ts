import type { Sector } from '@ruta/contracts';
import type { Actor } from './actor';

/**
 * Commands as they arrive (from HTTP or Kafka): reasons, outcomes and legal bases are plain
 * strings here because decide is the one that checks them against their closed lists.
 */
interface Sent {
  actor: Actor;
}
interface WithReason {
  reason?: string;
  note?: string;
}

/** Where a transfer goes, resolved from reference data by the handler (see placeOfServicePoint). */
export interface Destination {
  servicePointId: string;
  sector: Sector;
  stationId: string | null;
}

export type LifecycleCommand =
  | (Sent & { kind: 'accept' })
  | (Sent & WithReason & { kind: 'reject' })
  | (Sent & WithReason & { kind: 'cancel' })
  | (Sent & { kind: 'start' })
  | (Sent & WithReason & { kind: 'hold' })
  | (Sent & { kind: 'resume' })
  | (Sent & { kind: 'complete'; outcome?: string; note?: string })
  | (Sent & WithReason & { kind: 'fail' })
  | (Sent & { kind: 'assign'; assignee: string })
  | (Sent & { kind: 'reassign'; assignee: string })
  | (Sent & { kind: 'transfer'; to: Destination })
  | (Sent &
      WithReason & {
        kind: 'refer-onward';
        toSector: string;
        /** One of the target sector's referral types (its rule set's types). */
        referralType?: string;
        legalBasis?: string;
      });

export type LifecycleCommandKind = LifecycleCommand['kind'];

export const LIFECYCLE_COMMAND_KINDS: readonly LifecycleCommandKind[] = [
  'accept',
  'reject',
  'cancel',
  'start',
  'hold',
  'resume',
  'complete',
  'fail',
  'assign',
  'reassign',
  'transfer',
  'refer-onward',
];
