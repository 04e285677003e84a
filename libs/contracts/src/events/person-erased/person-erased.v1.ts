import { IsIn } from 'class-validator';
import { IsPersonId, IsSubject, IsTimestamp } from '../common';

export const PERSON_ERASED = 'person.erased';

/** Why a person was erased: a closed list, so audits can count them; never free text. */
export const ERASURE_REASONS = [
  'data-subject-request',
  'legal-obligation',
  'retention-expired',
  'created-in-error',
] as const;
export type ErasureReason = (typeof ERASURE_REASONS)[number];

/** How the erasure was asked for: the gateway's admin endpoint, or `npm run erase`. */
export const ERASURE_CHANNELS = ['http', 'cli'] as const;

/**
 * An operator destroyed a person's data key (crypto-shredding): their direct identifiers and
 * caseworkers' notes about them can no longer be read anywhere. Published by the gateway on
 * ops.events.v1 in the transaction that destroyed the key, so the audit log records the erasure
 * itself; the person is named by their pseudonymous id only (the envelope's subject).
 */
export class PersonErasedV1 {
  @IsPersonId()
  personId: string;

  /** The identity provider's subject of the admin (http), or the operating-system user (cli). */
  @IsSubject()
  actor: string;

  @IsIn(ERASURE_REASONS)
  reason: ErasureReason;

  @IsIn(ERASURE_CHANNELS)
  channel: (typeof ERASURE_CHANNELS)[number];

  @IsTimestamp()
  erasedAt: string;
}
