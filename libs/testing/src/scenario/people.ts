import type { Prng } from './prng';

/** The reception stations of the reference data, as the migration flow passes them. */
export const DARIEN_ARRIVAL_STATIONS = { 'lajas-blancas': 45, 'san-vicente': 35, 'bajo-chiquito': 20 } as const;
export const LOS_PLANES = 'los-planes';
export type StationId = keyof typeof DARIEN_ARRIVAL_STATIONS | typeof LOS_PLANES;

/** Nationalities seen at the Darién stations, weighted, with the languages each usually speaks. */
const NATIONALITIES: Record<string, { weight: number; languages: string[][] }> = {
  VEN: { weight: 40, languages: [['es']] },
  ECU: { weight: 12, languages: [['es'], ['es', 'qu']] },
  HTI: { weight: 10, languages: [['ht', 'fr'], ['ht']] },
  COL: { weight: 8, languages: [['es']] },
  CHN: { weight: 8, languages: [['zh'], ['zh', 'en']] },
  CUB: { weight: 5, languages: [['es']] },
  PER: { weight: 4, languages: [['es']] },
  AFG: { weight: 4, languages: [['ps'], ['fa', 'en']] },
  CMR: { weight: 3, languages: [['fr', 'en'], ['en']] },
  IND: { weight: 3, languages: [['hi', 'en'], ['pa']] },
  SEN: { weight: 3, languages: [['fr', 'wo']] },
};

/** What a person's registration says about them. */
export interface PersonBasics {
  personId: string;
  ageYears: number;
  /** When set, the registration carries birthDate instead of ageYears. */
  birthDate?: string;
  sex: 'female' | 'male' | 'other' | 'unknown';
  nationality: string;
  languages: string[];
  category: 'migrant' | 'asylum-seeker' | 'refugee' | 'other-protection-need';
}

/** Basics of a person of `ageYears`; about half are registered with a birth date instead of an age. */
export function personBasics(
  rng: Prng,
  personId: string,
  ageYears: number,
  registeredAround: Date,
  family?: Pick<PersonBasics, 'nationality' | 'languages'>,
  sex?: PersonBasics['sex'],
): PersonBasics {
  const nationality = family?.nationality ?? rng.weighted(weightsOf(NATIONALITIES));
  const languages = family?.languages ?? rng.pick(NATIONALITIES[nationality]!.languages);
  const adult = ageYears >= 18;
  const category = adult
    ? rng.weighted({ migrant: 80, 'asylum-seeker': 11, refugee: 4, 'other-protection-need': 5 } as const)
    : rng.weighted({ migrant: 88, 'asylum-seeker': 8, 'other-protection-need': 4 } as const);
  return {
    personId,
    ageYears,
    ...(rng.chance(0.5) ? { birthDate: birthDateFor(rng, ageYears, registeredAround) } : {}),
    sex: sex ?? (rng.chance(0.02) ? rng.pick(['other', 'unknown'] as const) : rng.pick(['female', 'male'] as const)),
    nationality,
    languages,
    category,
  };
}

/** A birth date that makes the person `ageYears` old a few days after `around` (never a birthday in between). */
function birthDateFor(rng: Prng, ageYears: number, around: Date): string {
  // 10 to 350 days past the birthday, measured from 10 days after `around`: registration falls in that year of age.
  const daysPastBirthday = rng.int(10, 350);
  const reference = new Date(around.getTime() + 10 * 86_400_000);
  const birth = new Date(reference.getTime() - daysPastBirthday * 86_400_000);
  birth.setUTCFullYear(birth.getUTCFullYear() - ageYears);
  return birth.toISOString().slice(0, 10);
}

function weightsOf(table: Record<string, { weight: number }>): Record<string, number> {
  return Object.fromEntries(Object.entries(table).map(([k, v]) => [k, v.weight]));
}
