import { Query } from '@nestjs/cqrs';
import type { LegalBasis, Sector } from '@ruta/contracts';

/**
 * How a sector came to hold the person's case: a referral routed to it, one a supervisor made
 * by overriding missing consent, or an onward referral another sector sent it.
 */
export type DisclosureKind = 'referral' | 'consent-override' | 'onward-referral';

/** One disclosure: which sector received what about the person, when and on which legal basis. */
export interface Disclosure {
  kind: DisclosureKind;
  sector: Sector;
  /** The sector that sent it (onward referrals only). */
  fromSector?: Sector;
  /** The referral made (for an onward referral: the one it was sent from). */
  referralId: string;
  referralType: string;
  legalBasis: LegalBasis;
  /** The event's time as its producer set it. */
  disclosedAt: string;
  eventId: string;
  position: string;
}

export interface DisclosurePage {
  items: Disclosure[];
  /** Pass as `after` for the next page; absent on the last page. */
  nextCursor?: string;
}

export class ListDisclosuresQuery extends Query<DisclosurePage> {
  constructor(
    readonly personId: string,
    readonly limit: number,
    readonly after?: string,
  ) {
    super();
  }
}
