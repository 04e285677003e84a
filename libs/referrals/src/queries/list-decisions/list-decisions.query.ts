import { Query } from '@nestjs/cqrs';
import type { LegalBasis } from '@ruta/contracts';

/** One routing decision as recorded when the outcome of a rule for a person changed. */
export interface Decision {
  /** The decision's id: what a supervisor names to override a consent deferral. */
  decisionId: string;
  /** The rule's name, which is also the referral type it makes. */
  rule: string;
  ruleSetVersion: string;
  /** referred | deferred | cancelled | moved | priority-raised | refused (onward) | overridden (consent override) */
  outcome: string;
  /**
   * consent-required (deferred), person-departed (cancelled, or a refused onward referral),
   * person-transferred (moved), referred-onward / already-open / unknown-referral-type (onward),
   * the override's reason code (overridden), or null.
   */
  reason: string | null;
  legalBasis: LegalBasis;
  /** The inputs the rule read; {} for a deferral, which keeps no indicator values. */
  inputs: Record<string, unknown>;
  /** The intake event that caused it. */
  eventId: string;
  /** The referral concerned; null for a deferral. */
  referralId: string | null;
  decidedAt: string;
}

export interface DecisionPage {
  items: Decision[];
  /** Pass as `after` for the next page; absent on the last page. */
  nextCursor?: string;
}

export class ListDecisionsQuery extends Query<DecisionPage> {
  constructor(
    readonly personId: string,
    readonly limit: number,
    readonly after?: string,
  ) {
    super();
  }
}
