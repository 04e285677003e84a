import type { Indicator, Sector } from '@ruta/contracts';

export interface ConsentState {
  informationSharing: 'granted' | 'declined';
  sectors: Sector[];
  guardianPersonId?: string;
}

/** A sector's minimal view of a person: basics plus only the indicators its own rules read. */
export interface PersonView {
  personId: string;
  stationId?: string;
  registeredAt?: string;
  birthDate?: string;
  ageYears?: number;
  sex?: string;
  nationality?: string;
  languages?: string[];
  category?: string;
  householdId?: string;
  indicators: Partial<Record<Indicator, boolean>>;
  consent?: ConsentState;
  departed: boolean;
}

export function emptyView(personId: string): PersonView {
  return { personId, indicators: {}, departed: false };
}

/** Age in whole years: `ageYears` as recorded, else the age at registration from `birthDate`. */
export function ageOf(view: PersonView): number | undefined {
  if (view.ageYears !== undefined) return view.ageYears;
  if (!view.birthDate || !view.registeredAt) return undefined;
  const birth = new Date(`${view.birthDate}T00:00:00Z`);
  const at = new Date(view.registeredAt);
  let age = at.getUTCFullYear() - birth.getUTCFullYear();
  const beforeBirthday =
    at.getUTCMonth() < birth.getUTCMonth() ||
    (at.getUTCMonth() === birth.getUTCMonth() && at.getUTCDate() < birth.getUTCDate());
  if (beforeBirthday) age -= 1;
  return age;
}
