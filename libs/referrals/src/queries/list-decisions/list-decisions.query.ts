import { Query } from '@nestjs/cqrs';
import type { LegalBasis } from '@ruta/contracts';

/** One routing decision as recorded when the outcome of a rule for a person changed. */
export interface Decision {
  /** The rule's name, which is also the referral type it makes. */
  rule: string;
  ruleSetVersion: string;
  /** referred | deferred | cancelled | moved | priority-raised */
  outcome: string;
  /** consent-required (deferred), person-departed (cancelled), person-transferred (moved), or null. */
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
