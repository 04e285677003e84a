import { LEGAL_BASES, type LegalBasis, type Sector } from '@ruta/contracts';
import { hasRole, SUPERVISOR, type Actor } from './actor';
import { inScope } from './authorise';
import type { Clock } from './clock';
import { emit, LIFECYCLE_CODES as C, refuse, type Decided } from './lifecycle-result';
import { isRefused, reasonOf } from './reason-input';
import type { Reasoned, ReasonCode } from './reasons';

/**
 * A decision routing deferred for want of consent: no referral exists yet, so the override is
 * decided on the deferral, not on a referral's state.
 */
export interface Deferral {
  decisionId: string;
  personId: string;
  sector: Sector;
  referralType: string;
  /** The point the referral would go to (the person's station's, else the regional default). */
  servicePointId: string;
  /** deferred until consent arrives (referred) or a supervisor overrides it (overridden). */
  status: 'deferred' | 'overridden' | 'referred';
  /** The person departed: PRODUCT.md, no new referral afterwards. */
  personDeparted?: boolean;
}

export interface OverrideConsent {
  kind: 'override-consent';
  actor: Actor;
  legalBasis?: string;
  reason?: string;
  note?: string;
}

/** The auditors' record of who turned a deferral into a referral, on what basis and why. */
export interface ConsentOverridden {
  type: 'decision.consent-overridden';
  decisionId: string;
  personId: string;
  sector: Sector;
  referralType: string;
  servicePointId: string;
  legalBasis: Exclude<LegalBasis, 'consent'>;
  reason: Reasoned<ReasonCode<'override-consent'>>;
  actor: string;
  at: string;
}

/** PRODUCT.md routing policy: gbv-case-management needs consent, "no exception". */
export const CONSENT_ONLY_TYPES: readonly string[] = ['gbv-case-management'];

/**
 * Checked on the server, never taken from a client's flag: only a supervisor of the sector (any of
 * its points), only with a legal basis other than consent and a reason. Overriding twice changes nothing.
 */
export function decideConsentOverride(
  deferral: Deferral,
  command: OverrideConsent,
  clock: Clock,
): Decided<ConsentOverridden> {
  const { actor } = command;
  if (!inScope(actor, deferral.sector, deferral.servicePointId)) return refuse(C.OUT_OF_SCOPE, 'decision not found');
  if (!hasRole(actor, SUPERVISOR)) return refuse(C.FORBIDDEN, 'override-consent needs the role supervisor');
  if (deferral.status === 'overridden') return emit();
  if (deferral.status !== 'deferred') return refuse(C.NOT_DEFERRED, 'the decision is no longer deferred');
  if (deferral.personDeparted) return refuse(C.NOT_DEFERRED, 'the person departed: no new referral is made');
  if (CONSENT_ONLY_TYPES.includes(deferral.referralType)) {
    return refuse(C.OVERRIDE_NOT_PERMITTED, `${deferral.referralType} is made only with consent`);
  }
  const legalBasis = command.legalBasis ?? '';
  if (legalBasis === 'consent') {
    return refuse(C.CONSENT_IS_NOT_A_BASIS, 'legalBasis must be a basis other than consent');
  }
  if (!(LEGAL_BASES as readonly string[]).includes(legalBasis)) {
    const others = LEGAL_BASES.filter((b) => b !== 'consent');
    return refuse(C.LEGAL_BASIS_REQUIRED, `legalBasis is required: one of ${others.join(', ')}`);
  }
  const reason = reasonOf('override-consent', command.reason, command.note);
  if (isRefused(reason)) return reason;
  const { decisionId, personId, sector, referralType, servicePointId } = deferral;
  return emit({
    type: 'decision.consent-overridden',
    decisionId,
    personId,
    sector,
    referralType,
    servicePointId,
    legalBasis: legalBasis as Exclude<LegalBasis, 'consent'>,
    reason,
    actor: actor.subject,
    at: clock.now().toISOString(),
  });
}

/** The deferral after its event: overridden, so routing makes the referral with that basis. */
export function evolveDeferral(deferral: Deferral, event: ConsentOverridden): Deferral {
  return event.decisionId === deferral.decisionId ? { ...deferral, status: 'overridden' } : deferral;
}
