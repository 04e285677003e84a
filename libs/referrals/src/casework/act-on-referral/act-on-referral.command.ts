import { Command } from '@nestjs/cqrs';
import type { Principal } from '@ruta/auth';
import type { LifecycleCommandKind } from '../../domain/lifecycle';
import type { CaseworkAnswer } from '../casework-answers';

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

/** What a replayed answer adds: it was not run again. */
export type ActOnReferralResult = CaseworkAnswer & { replayed?: boolean; changed?: boolean };

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
    readonly idempotency?: { key: string; digest: string },
  ) {
    super();
  }
}
