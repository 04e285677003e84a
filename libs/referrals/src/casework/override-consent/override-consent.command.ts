import { Command } from '@nestjs/cqrs';
import type { LegalBasis, Priority } from '@ruta/contracts';
import type { Actor } from '../../domain/lifecycle/actor';
import type { Refused } from '../../domain/lifecycle/lifecycle-result';
import type { Idempotency, IdempotentAnswer } from '../idempotency';

/** What a supervisor sends: checked by the decider against the closed lists, never trusted as given. */
export interface OverrideConsentBody {
  legalBasis?: string;
  reason?: string;
  note?: string;
}

/** The override and the referral it made (the note is kept on the referral's timeline, never echoed). */
export interface OverrideConsentAnswer {
  /** The deferred decision that was overridden. */
  decisionId: string;
  /** The decision that records the override (outcome overridden). */
  overrideDecisionId: string;
  referralId: string;
  referralType: string;
  priority: Priority;
  servicePointId: string;
  legalBasis: Exclude<LegalBasis, 'consent'>;
  reason: string;
  overriddenAt: string;
}

export type OverrideConsentResult =
  /** created: the override made the referral now; false: it was already overridden, nothing changed. */
  { ok: true; created: boolean; answer: OverrideConsentAnswer } | Refused;

/** POST /v1/<sector>/decisions/{id}:override-consent, from HTTP (and any other channel alike). */
export class OverrideConsentCommand extends Command<IdempotentAnswer> {
  constructor(
    readonly actor: Actor,
    readonly decisionId: string,
    readonly body: OverrideConsentBody,
    /** The client's Idempotency-Key (already checked for shape) and the digest of the request. */
    readonly idempotency?: Idempotency,
  ) {
    super();
  }
}
