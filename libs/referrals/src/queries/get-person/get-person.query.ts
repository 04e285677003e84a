import { Query } from '@nestjs/cqrs';
import type { ListScope } from '../casework-scope';
import type { Decision } from '../list-decisions/list-decisions.query';
import type { ReferralListItem } from '../list-referrals/list-referrals.query';

/**
 * What a sector keeps of a person (PRODUCT.md, data minimisation): the basics and only what its own
 * rules read; never a birth date, a name or a document. Absent facts were never recorded.
 */
export interface PersonFacts {
  age?: number;
  sex?: string;
  nationality?: string;
  languages?: string[];
  stationId?: string;
  householdSize?: number;
  /** The latest screening's indicators this sector's rules read. */
  indicators?: Record<string, boolean>;
  /** Protection only: the person's category. */
  category?: string;
  /** Health only: whether a critical or an urgent incident was reported. */
  incidents?: { critical: boolean; urgent: boolean };
  /** Protection only: whether asylum intent was expressed. */
  asylumIntent?: boolean;
  consent?: { informationSharing: string; sectors: string[]; byGuardian: boolean };
  departed?: boolean;
}

export interface PersonCaseView {
  personId: string;
  /** null when the sector has no view of the person (only referrals). */
  facts: PersonFacts | null;
  /** The caller's visible referrals of the person, newest first, at most PERSON_REFERRALS_MAX. */
  referrals: ReferralListItem[];
  /** Decisions on those referrals (a supervisor's: every decision, deferrals too), newest first, at most PERSON_DECISIONS_MAX. */
  decisions: Decision[];
}

/** The person's sector-limited view; undefined when the caller sees no referral and the sector has no view. */
export class GetPersonQuery extends Query<PersonCaseView | undefined> {
  constructor(
    readonly personId: string,
    readonly scope: ListScope,
  ) {
    super();
  }
}
