import { IsIn, IsString, IsUUID, Matches, MaxLength } from 'class-validator';
import { LEGAL_BASES, SECTORS, type LegalBasis, type Sector } from '../../sectors';
import { IsLifecycleCode, IsPersonId, IsReferenceName, IsSubject, IsTimestamp } from '../common';

export const DECISION_CONSENT_OVERRIDDEN = 'decision.consent-overridden';

/** The bases an override may name: consent is the one whose absence was overridden. */
export const OVERRIDE_LEGAL_BASES = LEGAL_BASES.filter((b): b is Exclude<LegalBasis, 'consent'> => b !== 'consent');

/**
 * A supervisor turned a decision deferred for want of consent into a referral, on a recorded legal
 * basis and reason: the auditors' record of who, when and why. The supervisor's note never travels.
 */
export class DecisionConsentOverriddenV1 {
  /** The deferred decision (a sector's decisions.id, a positive integer as text). */
  @IsString()
  @MaxLength(19)
  @Matches(/^[1-9][0-9]{0,18}$/, { message: 'decisionId must be a decision id (a positive integer)' })
  decisionId: string;

  @IsPersonId()
  personId: string;

  @IsIn(SECTORS)
  sector: Sector;

  @IsReferenceName()
  referralType: string;

  @IsReferenceName()
  servicePointId: string;

  /** The referral the override made. */
  @IsUUID()
  @MaxLength(36)
  referralId: string;

  @IsIn(OVERRIDE_LEGAL_BASES)
  legalBasis: Exclude<LegalBasis, 'consent'>;

  /** A reason code such as vital-interest-emergency: never free text, which could carry personal data. */
  @IsLifecycleCode('reason', 'vital-interest-emergency')
  reason: string;

  /** The supervisor's subject at the identity provider, never a name. */
  @IsSubject()
  actor: string;

  @IsTimestamp()
  overriddenAt: string;
}
