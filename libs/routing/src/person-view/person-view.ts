import type { Indicator, Sector } from '@ruta/contracts';

/** A fact with the sequence of the event that set it: the higher sequence wins, whatever the arrival order. */
export interface Stamped<T> {
  seq: number;
  value: T;
}

export interface ConsentState {
  informationSharing: 'granted' | 'declined';
  sectors: Sector[];
  /** Whether a guardian recorded it (a child's consent counts only then); the guardian's id is not kept. */
  byGuardian: boolean;
}

export interface PersonBasics {
  /** Whole years: `ageYears` as recorded, else the age at registration from `birthDate`. */
  age?: number;
  sex: string;
  nationality: string;
  languages: string[];
}

/**
 * A sector's minimal view of a person (PRODUCT.md, data minimisation): the basics, and only what
 * its own rules read. Every fact carries the sequence of the event that set it, so the view is the
 * same whatever order a person's events arrive in. Household size lives in `household_members`.
 */
export interface PersonView {
  personId: string;
  /** The highest sequence folded; an event without a sequence (an older gateway) counts as the newest. */
  lastSeq: number;
  basics?: Stamped<PersonBasics>;
  /** The current station: from the registration or a transfer, whichever is later. */
  station?: Stamped<string>;
  /** Kept only where a rule reads it (protection: asylum-seeker). */
  category?: Stamped<string>;
  /** The latest screening's indicators, only those the sector's rules read. */
  indicators?: Stamped<Partial<Record<Indicator, boolean>>>;
  consent?: Stamped<ConsentState>;
  /** Health incidents accumulate: whether any critical, any urgent one was reported (health only). */
  incidents?: { critical: boolean; urgent: boolean };
  /** Asylum intent accumulates (protection only). */
  asylumIntent?: boolean;
  /** Set by any person.departed, whatever its place: no new referral afterwards. */
  departed?: boolean;
  /** The last recorded outcome per rule, so a decision is recorded only when it changes. */
  outcomes: Record<string, string>;
}

export function emptyView(personId: string): PersonView {
  return { personId, lastSeq: 0, outcomes: {} };
}

/** Age in whole years at `at` of someone born on `birthDate` (YYYY-MM-DD). */
export function ageAt(birthDate: string, at: string): number | undefined {
  const birth = new Date(`${birthDate}T00:00:00Z`);
  const when = new Date(at);
  if (Number.isNaN(birth.getTime()) || Number.isNaN(when.getTime())) return undefined;
  let age = when.getUTCFullYear() - birth.getUTCFullYear();
  const beforeBirthday =
    when.getUTCMonth() < birth.getUTCMonth() ||
    (when.getUTCMonth() === birth.getUTCMonth() && when.getUTCDate() < birth.getUTCDate());
  if (beforeBirthday) age -= 1;
  return age;
}

export const ageOf = (view: PersonView): number | undefined => view.basics?.value.age;
