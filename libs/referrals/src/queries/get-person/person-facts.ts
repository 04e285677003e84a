import type { PersonFacts } from './get-person.query';

const isString = (v: unknown): v is string => typeof v === 'string';
const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
/** A stamped fact's value ({seq, value}, routing's person view), or undefined. */
const valueOf = (stamped: unknown): unknown => (isRecord(stamped) ? stamped.value : undefined);

/**
 * The facts of a stored person view, each picked by name: whatever else the JSON holds (routing's
 * bookkeeping, a field a later version adds) stays out of the answer until it is named here.
 */
export function personFacts(view: Record<string, unknown>, householdSize: number | null): PersonFacts {
  const facts: PersonFacts = {};
  const basics = valueOf(view.basics);
  if (isRecord(basics)) {
    if (typeof basics.age === 'number') facts.age = basics.age;
    if (isString(basics.sex)) facts.sex = basics.sex;
    if (isString(basics.nationality)) facts.nationality = basics.nationality;
    if (Array.isArray(basics.languages)) facts.languages = basics.languages.filter(isString);
  }
  const station = valueOf(view.station);
  if (isString(station)) facts.stationId = station;
  if (householdSize !== null) facts.householdSize = householdSize;
  const indicators = valueOf(view.indicators);
  if (isRecord(indicators)) {
    facts.indicators = Object.fromEntries(
      Object.entries(indicators).filter((entry): entry is [string, boolean] => typeof entry[1] === 'boolean'),
    );
  }
  const category = valueOf(view.category);
  if (isString(category)) facts.category = category;
  if (isRecord(view.incidents)) {
    facts.incidents = { critical: view.incidents.critical === true, urgent: view.incidents.urgent === true };
  }
  if (typeof view.asylumIntent === 'boolean') facts.asylumIntent = view.asylumIntent;
  const consent = valueOf(view.consent);
  if (isRecord(consent) && isString(consent.informationSharing)) {
    facts.consent = {
      informationSharing: consent.informationSharing,
      sectors: Array.isArray(consent.sectors) ? consent.sectors.filter(isString) : [],
      byGuardian: consent.byGuardian === true,
    };
  }
  if (view.departed === true) facts.departed = true;
  return facts;
}
