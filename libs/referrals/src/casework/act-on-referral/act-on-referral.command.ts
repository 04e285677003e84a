import { Command } from '@nestjs/cqrs';
import type { Principal } from '@ruta/auth';
import type { LifecycleCommandKind } from '../../domain/lifecycle';
import type { Idempotency, IdempotentAnswer } from '../idempotency';

/** The body fields any casework command may carry, as validated by its request class. */
export interface CaseworkInput {
  reason?: string;
  note?: string;
  outcome?: string;
  assignee?: string;
  servicePointId?: string;
  toSector?: string;
  referralType?: string;
  legalBasis?: string;
}

/** An answer, replayed or not, and whether the command changed the referral (its messages wait in the outbox). */
export type ActOnReferralResult = IdempotentAnswer & { changed?: boolean };

/**
 * One lifecycle command on one referral over HTTP. `ifMatch` holds the versions the client's
 * If-Match names (already read: a missing or malformed header never gets here); `idempotency` is
 * the caller's key with the digest of the request it stands for.
 */
export class ActOnReferralCommand extends Command<ActOnReferralResult> {
  constructor(
    readonly principal: Principal,
    readonly referralId: string,
    readonly kind: LifecycleCommandKind,
    readonly input: CaseworkInput,
    readonly ifMatch: readonly number[],
    readonly idempotency?: Idempotency,
  ) {
    super();
  }
}
