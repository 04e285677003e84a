import type { VulnerabilityIndicators } from '@ruta/contracts';
import type { Prng } from './prng';

type Indicators = VulnerabilityIndicators;
type Odds = Partial<Record<keyof Indicators, number>>;

/** How often each indicator is recorded, by who is screened (rough field proportions, not statistics). */
const ADULT: Odds = {
  injury: 0.12,
  malnutrition: 0.06,
  chronicIllness: 0.1,
  mentalHealthDistress: 0.12,
  disability: 0.05,
  needsShelter: 0.45,
  needsFood: 0.4,
  gbvRisk: 0.05,
  traffickingIndicators: 0.04,
  lgbtiqAtRisk: 0.03,
};
const WOMAN_OF_CHILDBEARING_AGE: Odds = { pregnant: 0.1, lactating: 0.08, gbvRisk: 0.08 };
const CHILD: Odds = { malnutrition: 0.12, injury: 0.06, mentalHealthDistress: 0.08, disability: 0.03 };
const ALONE_CHILD: Odds = { traffickingIndicators: 0.12, gbvRisk: 0.05, needsShelter: 0.6, needsFood: 0.5 };
const OLDER: Odds = { elderly: 0.7, chronicIllness: 0.4, disability: 0.12 };

export interface ScreenedPerson {
  ageYears: number;
  sex: string;
  /** A child travelling without any adult (unaccompanied) or without their usual carer (separated). */
  alone?: 'unaccompanied' | 'separated';
  /** A parent travelling alone with children. */
  singleParent?: boolean;
  pregnant?: boolean;
}

/** A screening's indicators for `person`: only the indicators observed, each `true`. */
export function screeningIndicators(rng: Prng, person: ScreenedPerson): Indicators {
  const odds: Odds = { ...(person.ageYears < 18 ? CHILD : ADULT) };
  if (person.ageYears >= 15 && person.ageYears <= 45 && person.sex === 'female')
    Object.assign(odds, WOMAN_OF_CHILDBEARING_AGE);
  if (person.ageYears >= 55) Object.assign(odds, OLDER);
  if (person.alone) Object.assign(odds, ALONE_CHILD);
  const indicators: Indicators = {};
  for (const [name, probability] of Object.entries(odds) as [keyof Indicators, number][]) {
    if (rng.chance(probability)) indicators[name] = true;
  }
  if (person.alone === 'unaccompanied') indicators.unaccompaniedChild = true;
  if (person.alone === 'separated') indicators.separatedChild = true;
  if (person.singleParent) indicators.singleParent = true;
  if (person.pregnant) indicators.pregnant = true;
  return indicators;
}

/** A later screening: most findings stay, some clear, some appear (it replaces the one before). */
export function rescreenedIndicators(rng: Prng, before: Indicators, person: ScreenedPerson): Indicators {
  const fresh = screeningIndicators(rng, person);
  const next: Indicators = {};
  for (const name of Object.keys(before) as (keyof Indicators)[]) if (rng.chance(0.6)) next[name] = true;
  for (const name of Object.keys(fresh) as (keyof Indicators)[]) if (rng.chance(0.5)) next[name] = true;
  return next;
}
